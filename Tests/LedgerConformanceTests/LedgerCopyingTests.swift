import LedgerCore
@testable import LedgerPostgres
import LedgerStore
import LedgerTestSupport
import Testing

/// `LedgerCopying`: a ledger copied verbatim keeps its size, root, chains, tokens and every
/// checkpoint signed on the source.
@Suite(.serialized) struct LedgerCopyingTests {
    /// Copies everything from `source` into the empty `destination` in pages, as `migrate` does.
    static func copy(from source: any LedgerCopying, to destination: any LedgerCopying, pageSize: Int = 7) async throws {
        var next: UInt64 = 1
        while case let page = try await source.storedEvents(fromSeq: next, limit: pageSize), !page.isEmpty {
            try await destination.importStoredEvents(page)
            next = page[page.count - 1].event.seq + 1
        }
        if let identity = try await source.identity() { try await destination.setIdentity(identity) }
        var previous: UInt64?
        while case let checkpoints = try await source.checkpoints(after: previous, limit: 3), !checkpoints.isEmpty {
            for checkpoint in checkpoints {
                try await destination.appendCheckpoint(checkpoint, previousTreeSize: previous)
                previous = checkpoint.treeSize
            }
        }
        try await destination.importStoredTokens(try await source.storedTokens())
    }

    /// A source ledger with events, two checkpoints and tokens (one revoked).
    static func fill(_ test: LedgerFixture) async throws {
        let service = try await test.checkpointService()
        try await test.append(23, batchSize: 5)
        _ = try await service.checkpoint()
        try await test.append(17, batchSize: 4, seed: 2)
        _ = try await service.checkpoint()
        let token = try await test.ledger.createToken(account: "acme", scope: .read, name: "copied")
        _ = try await test.ledger.revokeToken(id: token.token.id)
        _ = try await test.ledger.createToken(account: "*", scope: .ingest, name: nil)
    }

    static func expectSameLedger(_ source: any LedgerCopying, _ copy: any LedgerCopying) async throws {
        #expect(try await copy.treeHead() == source.treeHead())
        #expect(try await copy.checkpoints(after: nil, limit: 100) == source.checkpoints(after: nil, limit: 100))
        #expect(try await copy.storedEvents(fromSeq: 1, limit: 1_000) == source.storedEvents(fromSeq: 1, limit: 1_000))
        #expect(try await copy.storedTokens() == source.storedTokens())
        let report = try await copy.verify(checkpointVerifier: TestSigner.signer.verifier, progress: nil)
        #expect(report.passed && report.checkpointsChecked == 2 && report.eventsChecked == 40)
    }

    @Test func postgresToPostgresKeepsSizeRootCheckpointsAndTokens() async throws {
        try await withLedger(.postgres) { source in
            try await Self.fill(source)
            try await withLedger(.postgres) { destination in
                let from = try #require(source.ledger as? PostgresLedger), to = try #require(destination.ledger as? PostgresLedger)
                try await Self.copy(from: from, to: to)
                try await Self.expectSameLedger(from, to)
                // Copies are idempotent for tokens, and the copy keeps appending where the source stopped.
                try await to.importStoredTokens(try await from.storedTokens())
                var factory = EventFactory(seed: 99)
                #expect(try await to.append([factory.event()])[0].seq == 41)
                #expect(try await to.verify(progress: nil).passed)
            }
        }
    }

    @Test func importsRefuseGapsForgedEventsAndConflictingTokens() async throws {
        try await withLedger(.postgres) { source in
            try await Self.fill(source)
            try await withLedger(.postgres) { destination in
                let from = try #require(source.ledger as? PostgresLedger), to = try #require(destination.ledger as? PostgresLedger)
                let events = try await from.storedEvents(fromSeq: 1, limit: 10)
                await #expect(throws: CopyError.notContiguous(expected: 1, got: 2)) { try await to.importStoredEvents(Array(events[1...])) }
                var forged = events
                forged[3].event.content.description = "forged"
                await #expect(throws: CopyError.brokenEvent(seq: 4, reason: "its canonical bytes do not hash to its hash")) {
                    try await to.importStoredEvents(forged)
                }
                #expect(try await to.treeHead().size == 0)
                try await to.importStoredEvents(events)
                var tokens = try await from.storedTokens()
                try await to.importStoredTokens(tokens)
                tokens[0].token.scope = .admin
                await #expect(throws: CopyError.tokenConflict(id: tokens[0].token.id)) { try await to.importStoredTokens(tokens) }
            }
        }
    }

    /// SQLite → PostgreSQL → SQLite. Needs SQLiteLedger's LedgerCopying conformance
    /// (SQLiteLedger+Copying.swift); runs once it is in the build.
    @Test(.enabled(if: SQLiteLedger.self is any LedgerCopying.Type, "needs SQLiteLedger: LedgerCopying"))
    func sqliteToPostgresAndBackKeepsSizeRootAndCheckpoints() async throws {
        try await withLedger(.sqlite) { original in
            try await Self.fill(original)
            try await withLedger(.postgres) { postgres in
                try await withLedger(.sqlite) { back in
                    let source = try #require(original.ledger as? any LedgerCopying)
                    let middle = try #require(postgres.ledger as? any LedgerCopying)
                    let final = try #require(back.ledger as? any LedgerCopying)
                    try await Self.copy(from: source, to: middle)
                    try await Self.expectSameLedger(source, middle)
                    try await Self.copy(from: middle, to: final)
                    try await Self.expectSameLedger(source, final)
                }
            }
        }
    }
}

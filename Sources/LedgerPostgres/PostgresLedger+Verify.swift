import LedgerCore
import LedgerStore
import Logging
import PostgresNIO

extension PostgresLedger {
    /// Rows verify reads per query: memory stays bounded by the page, not the ledger.
    static let verifyPageSize = 2_000

    /// Recomputes every event from its stored row in `seq` order, in one REPEATABLE READ
    /// snapshot read in keyset pages, with the shared `LedgerVerifier` and `CheckpointAudit`:
    /// the same checks and first-failure reports as the SQLite backend; also checks `external`
    /// checkpoints (notes an auditor kept outside the database).
    public func verify(checkpointVerifier: NoteVerifier?, alsoChecking external: [StoredCheckpoint],
                       progress: (@Sendable (UInt64) -> Void)?) async throws -> VerificationReport {
        try await PostgresErrors.completing { [self] in
            try await pool.withConnection { connection in
                try await Self.inReadSnapshot(connection, logger: logger) {
                    try await Self.verify(on: connection, checkpointVerifier: checkpointVerifier, external: external,
                                          progress: progress, logger: logger)
                }
            }
        }
    }

    private static func verify(on connection: PostgresConnection, checkpointVerifier: NoteVerifier?, external: [StoredCheckpoint],
                               progress: (@Sendable (UInt64) -> Void)?, logger: Logger) async throws -> VerificationReport {
        let nodes = NodePage()
        var verifier = LedgerVerifier(storedNode: { nodes.hashes[$0] })
        verifier.warnings = try await missingTriggerWarnings(connection, logger: logger)
        let identity = try? await identity(on: connection, logger: logger)
        var audit = CheckpointAudit(verifier: checkpointVerifier ?? identity?.verifier, origin: identity?.origin)
        if checkpointVerifier == nil, identity != nil {
            verifier.warnings.append("checkpoint signatures checked with the verifier key recorded in the database; pass the published key to pin it")
        }
        var checkpoints = CheckpointPages(external: external)
        func auditCheckpointsAtCurrentSize() async throws -> Bool {
            while let checkpoint = try await checkpoints.current(connection, logger: logger), checkpoint.treeSize == verifier.eventsChecked {
                if let failure = audit.check(checkpoint, recomputed: verifier.treeHead) {
                    verifier.fail(failure)
                    return false
                }
                checkpoints.advance()
            }
            return true
        }
        var intact = try await auditCheckpointsAtCurrentSize()
        var lastSeq: Int64 = .min
        while intact {
            let query: PostgresQuery = """
                SELECT seq, account, account_seq, client_id, name, actor_id, occurred_at, received_at,
                       outcome::bigint, ip, country_code, city, hash, canonical
                FROM events WHERE seq > \(lastSeq) ORDER BY seq LIMIT \(Int64(verifyPageSize))
                """
            let page = try await connection.rows(query, as: (Int64, String?, Int64, String?, String?, String?, Int64, Int64,
                                                             Int64, ByteBuffer?, String?, String?, ByteBuffer?, ByteBuffer?).self,
                                                 logger: logger)
            if page.isEmpty { break }
            let firstLeaf = verifier.eventsChecked
            nodes.hashes = try await PostgresMerkleNodes.completed(byLeaves: firstLeaf, firstLeaf + UInt64(page.count) - 1,
                                                                   on: connection, logger: logger)
            for row in page {
                let eventRow = EventRow(seq: UInt64(bitPattern: row.0), account: row.1, accountSeq: row.2, clientID: row.3,
                                        name: row.4, actorID: row.5, occurredAt: row.6, receivedAt: row.7, outcome: row.8,
                                        ip: row.9?.byteArray, countryCode: row.10, city: row.11,
                                        hash: row.12.flatMap { MerkleHash(bytes: $0.readableBytesView) }, canonical: row.13?.byteArray)
                intact = verifier.check(eventRow)
                if intact { intact = try await auditCheckpointsAtCurrentSize() }
                if !intact { break }
                if let progress, verifier.eventsChecked % 10_000 == 0 { progress(verifier.eventsChecked) }
            }
            lastSeq = page[page.count - 1].0
        }
        let beyond = intact ? try await checkpoints.current(connection, logger: logger) : nil
        return verifier.finish(intact: intact, beyond: beyond, checkpointsSeen: checkpoints.seen, audit: audit, progress: progress)
    }

    /// Append-only triggers that are missing or disabled: not itself a wrong event, but a ledger
    /// an operator should look at (a deliberate edit needs them out of the way first).
    static func missingTriggerWarnings(_ connection: PostgresConnection, logger: Logger) async throws -> [String] {
        let present = Set(try await connection.column(
            "SELECT tgname::text FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'", as: String.self, logger: logger))
        return PostgresSchema.appendOnlyTables
            .flatMap { table in PostgresSchema.refusedOperations.map { PostgresSchema.triggerName(table, $0) } }
            .filter { !present.contains($0) }
            .map { "append-only trigger \($0) is missing" }
    }
}

/// The stored Merkle nodes that the current page of events completes; verify swaps the page.
private final class NodePage {
    var hashes: [MerkleNodeID: MerkleHash] = [:]
}

/// Stored checkpoints in tree-size order, fetched a page at a time beside the events, merged
/// with any given ones.
private struct CheckpointPages {
    private var stored: [StoredCheckpoint] = []
    /// Given checkpoints, largest first, so the next one is `last`.
    private var external: [StoredCheckpoint]
    private var lastFetched: Int64 = -1
    private var exhausted = false
    private(set) var seen = 0
    private var counted = false

    init(external: [StoredCheckpoint]) {
        self.external = external.sorted { $0.treeSize > $1.treeSize }
    }

    private var nextIsExternal: Bool {
        guard let candidate = external.last else { return false }
        return stored.first.map { candidate.treeSize < $0.treeSize } ?? true
    }

    mutating func current(_ connection: PostgresConnection, logger: Logger) async throws -> StoredCheckpoint? {
        if stored.isEmpty && !exhausted {
            stored = try await PostgresLedger.checkpoints(on: connection, after: lastFetched, limit: 256, logger: logger)
            exhausted = stored.isEmpty
            if let last = stored.last { lastFetched = Int64(last.treeSize) }
        }
        let current = nextIsExternal ? external.last : stored.first
        if current != nil && !counted {
            seen += 1
            counted = true
        }
        return current
    }

    mutating func advance() {
        if nextIsExternal {
            external.removeLast()
        } else if !stored.isEmpty {
            stored.removeFirst()
        }
        counted = false
    }
}

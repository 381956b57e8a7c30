import Foundation
import LedgerCore
import Testing
@testable import LedgerStore

@Suite struct ExportAndVerifyTests {
    @Test func exportStreamsTheAccountChainInOrderWithinTheReceiveRange() async throws {
        let clock = SteppingClock()
        let test = try TestLedger(clock: { clock.tick() })
        var factory = EventFactory(seed: 11)
        for _ in 0..<30 { _ = try await test.ledger.append((0..<20).map { _ in factory.event() }) }
        let all = try await collect(test.ledger, ExportRequest(account: "acme"))
        #expect(all.map(\.accountSeq) == Array(1...UInt64(all.count)))
        #expect(all.count == (try await test.ledger.search(with(SearchQuery(account: "acme")) { $0.limit = 1000 })).events.count)

        let from = all[all.count / 3].receivedAt, to = all[2 * all.count / 3].receivedAt
        let slice = try await collect(test.ledger, ExportRequest(account: "acme", receivedFrom: from, receivedTo: to))
        #expect(slice == all.filter { $0.receivedAt >= from && $0.receivedAt < to })
        #expect(!slice.isEmpty)
        let empty = try await collect(test.ledger, ExportRequest(account: "nobody"))
        #expect(empty.isEmpty)
    }

    private func collect(_ ledger: SQLiteLedger, _ request: ExportRequest) async throws -> [StoredEvent] {
        let cursor = try await ledger.export(request)
        var events: [StoredEvent] = []
        while true {
            let page = try await cursor.next(37)
            if page.isEmpty { break }
            events += page
        }
        await cursor.close()
        return events
    }

    @Test func verifyNamesTheFirstTamperedRow() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 12)
        _ = try await test.ledger.append((0..<100).map { _ in factory.event() })
        #expect(try await test.ledger.verify(progress: nil).passed)

        let raw = try SQLiteConnection(path: test.path)
        try raw.execute("DROP TRIGGER events_no_update")
        try raw.execute("UPDATE events SET name = CASE name WHEN 'user.login' THEN 'user.logout' ELSE 'user.login' END WHERE seq = 37")
        try raw.execute("UPDATE events SET canonical = CAST(replace(CAST(canonical AS TEXT), 'happened', 'HAPPENED') AS BLOB) WHERE seq = 61")
        let report = try await test.ledger.verify(progress: nil)
        #expect(report.firstFailure?.seq == 37)
        #expect(report.eventsChecked == 36)
        #expect(report.warnings == ["append-only trigger events_no_update is missing"])
    }

    @Test func verifyCatchesAnEditedCanonicalBlobAndADeletedRow() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 13)
        _ = try await test.ledger.append((0..<50).map { _ in factory.event() })
        let raw = try SQLiteConnection(path: test.path)
        try raw.execute("DROP TRIGGER events_no_delete")
        try raw.execute("DELETE FROM events WHERE seq = 20")
        #expect(try await test.ledger.verify(progress: nil).firstFailure?.seq == 20)
    }

    @Test func verifyCatchesARewrittenChain() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 14)
        _ = try await test.ledger.append((0..<50).map { _ in factory.event() })
        // Re-seal seq 10 with different content and a correct hash: only the chain gives it away.
        let raw = try SQLiteConnection(path: test.path)
        let original = try await test.ledger.search(with(SearchQuery(account: "acme")) { $0.limit = 1000 }).events
            .filter { $0.accountSeq > 1 }.min { $0.seq < $1.seq }!
        var content = original.content
        content.description = "forged"
        let forged = StoredEvent.seal(seq: original.seq, accountSeq: original.accountSeq, receivedAt: original.receivedAt,
                                      content: content, geo: original.geo, previousHash: original.previousHash)
        try raw.execute("DROP TRIGGER events_no_update")
        let update = try raw.statement("UPDATE events SET canonical = ?, hash = ? WHERE seq = ?")
        try update.bind(1, forged.canonicalBytes)
        try update.bind(2, forged.event.hash)
        try update.bind(3, Int64(original.seq))
        try update.run()
        let report = try await test.ledger.verify(progress: nil)
        let next = try await test.ledger.search(with(SearchQuery(account: "acme")) { $0.limit = 1000 }).events
            .first { $0.accountSeq == original.accountSeq + 1 }!
        #expect(report.firstFailure?.seq == next.seq)
    }
}

func with<T>(_ value: T, _ change: (inout T) -> Void) -> T {
    var copy = value
    change(&copy)
    return copy
}

/// A clock that moves one second per reading, so each commit has its own receive time.
final class SteppingClock: @unchecked Sendable {
    private var now = FixedClock.start.microseconds
    private let lock = NSLock()
    func tick() -> Timestamp { lock.withLock { now += 1_000_000; return Timestamp(microseconds: now) } }
}

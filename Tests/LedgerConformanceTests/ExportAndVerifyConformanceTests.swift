import Foundation
import LedgerCore
import LedgerStore
import LedgerTestSupport
import Testing

@Suite(.serialized) struct ExportAndVerifyConformanceTests {
    @Test(arguments: Backend.allCases)
    func exportStreamsTheAccountChainInOrderWithinTheReceiveRange(_ backend: Backend) async throws {
        let clock = SteppingClock()
        try await withLedger(backend, clock: { clock.tick() }) { test in
            var factory = EventFactory(seed: 11)
            for _ in 0..<30 { _ = try await test.ledger.append((0..<20).map { _ in factory.event() }) }
            let all = try await collect(test.ledger, ExportRequest(account: "acme"))
            #expect(all.map(\.accountSeq) == Array(1...UInt64(all.count)))
            #expect(all.count == (try await test.ledger.search(with(SearchQuery(account: "acme")) { $0.limit = 1000 })).events.count)

            let from = all[all.count / 3].receivedAt, to = all[2 * all.count / 3].receivedAt
            let slice = try await collect(test.ledger, ExportRequest(account: "acme", receivedFrom: from, receivedTo: to))
            #expect(slice == all.filter { $0.receivedAt >= from && $0.receivedAt < to })
            #expect(!slice.isEmpty)
            #expect(try await collect(test.ledger, ExportRequest(account: "nobody")).isEmpty)
        }
    }

    /// An export started before more events arrive returns the chain as it was when it started.
    @Test(arguments: Backend.allCases)
    func anExportIsASnapshot(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 17)
            _ = try await test.ledger.append((0..<100).map { _ in factory.event() })
            let before = try await collect(test.ledger, ExportRequest(account: "acme"))
            let cursor = try await test.ledger.export(ExportRequest(account: "acme"))
            let first = try await cursor.next(5)
            _ = try await test.ledger.append((0..<100).map { _ in factory.event() })
            var rest: [StoredEvent] = []
            while case let page = try await cursor.next(7), !page.isEmpty { rest += page }
            await cursor.close()
            #expect(first + rest == before)
        }
    }

    private func collect(_ ledger: TestableLedger, _ request: ExportRequest) async throws -> [StoredEvent] {
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

    @Test(arguments: Backend.allCases)
    func verifyNamesTheFirstTamperedRowAndAMissingTrigger(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 12)
            _ = try await test.ledger.append((0..<100).map { _ in factory.event() })
            #expect(try await test.ledger.verify(progress: nil).passed)

            try await test.dropTrigger("events", "update")
            try await test.execute("UPDATE events SET name = CASE name WHEN 'user.login' THEN 'user.logout' ELSE 'user.login' END WHERE seq = 37")
            try await test.execute(test.sql(
                sqlite: "UPDATE events SET canonical = CAST(replace(CAST(canonical AS TEXT), 'happened', 'HAPPENED') AS BLOB) WHERE seq = 61",
                postgres: """
                    UPDATE events SET canonical = decode(replace(encode(canonical, 'hex'), encode('happened'::bytea, 'hex'),
                                                                 encode('HAPPENED'::bytea, 'hex')), 'hex') WHERE seq = 61
                    """))
            let report = try await test.ledger.verify(progress: nil)
            #expect(report.firstFailure?.seq == 37)
            #expect(report.eventsChecked == 36)
            #expect(report.warnings == ["append-only trigger events_no_update is missing"])
        }
    }

    @Test(arguments: Backend.allCases)
    func verifyCatchesADeletedRow(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 13)
            _ = try await test.ledger.append((0..<50).map { _ in factory.event() })
            try await test.tamper("DELETE FROM events WHERE seq = 20")
            let report = try await test.ledger.verify(progress: nil)
            #expect(report.firstFailure?.seq == 20)
            #expect(report.warnings.isEmpty)
        }
    }

    @Test(arguments: Backend.allCases)
    func verifyCatchesARewrittenChain(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 14)
            _ = try await test.ledger.append((0..<50).map { _ in factory.event() })
            // Re-seal an event with different content and a correct hash: only the chain gives it away.
            let events = try await test.ledger.search(with(SearchQuery(account: "acme")) { $0.limit = 1000 }).events
            let original = try #require(events.filter { $0.accountSeq > 1 }.min { $0.seq < $1.seq })
            var content = original.content
            content.description = "forged"
            let forged = StoredEvent.seal(seq: original.seq, accountSeq: original.accountSeq, receivedAt: original.receivedAt,
                                          content: content, geo: original.geo, previousHash: original.previousHash)
            try await test.tamper("""
                UPDATE events SET canonical = \(test.blob(forged.canonicalBytes)), hash = \(test.blob(forged.event.hash.bytes))
                    \(test.wordFilterAssignments(content)) WHERE seq = \(original.seq)
                """)
            let report = try await test.ledger.verify(progress: nil)
            let next = try #require(events.first { $0.accountSeq == original.accountSeq + 1 })
            #expect(report.firstFailure?.seq == next.seq)
        }
    }

    @Test(arguments: Backend.allCases)
    func verifyReportsProgressAndPassesOnALedgerLargerThanOnePage(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 18)
            for _ in 0..<5 { _ = try await test.ledger.append((0..<2_500).map { _ in factory.event() }) }
            let seen = Counter()
            let report = try await test.ledger.verify(progress: { seen.record($0) })
            #expect(report.passed && report.eventsChecked == 12_500)
            #expect(seen.values.last == 12_500 && seen.values.contains(10_000))
        }
    }
}

/// Collects progress callbacks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [UInt64] = []
    func record(_ value: UInt64) { lock.withLock { recorded.append(value) } }
    var values: [UInt64] { lock.withLock { recorded } }
}

import LedgerCore
import Testing
@testable import LedgerStore

/// Name and actor searches read their indexes one UTC day at a time (migration 3); these pages
/// cross many days, empty days, and events before the epoch (where day 0 spans two days).
@Suite struct SearchAcrossDaysTests {
    @Test func pagesThatCrossDaysMatchABruteForceOracle() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 77)
        var random = SplitMix64(seed: 5)
        let day: Int64 = 86_400_000_000
        var batch: [NewEvent] = []
        for index in 0..<1_500 {
            var event = factory.event()
            // Clusters of days with gaps between them, a few days around the epoch.
            let dayOffset = index % 10 == 0 ? Int64(random.next() % 3) - 1 - 20_413 : Int64(random.next() % 40) * 3
            event.content.occurredAt = Timestamp(microseconds: FixedClock.start.microseconds - dayOffset * day
                                                 - Int64(random.next() % UInt64(day)))
            batch.append(event)
        }
        _ = try await test.ledger.append(batch)
        var stored: [StoredEvent] = []
        for seq in 1...UInt64(batch.count) {
            stored.append(try #require(try await test.ledger.event(account: batch[Int(seq - 1)].content.account, seq: seq)))
        }
        for round in 0..<60 {
            var query = SearchQuery(account: factory.pick(factory.accounts))
            switch round % 3 {
            case 0: query.names = [NameFilter(factory.pick(["stack.*", "server.ssh.*", "user.login"]))!]
            case 1: query.actor = factory.pick(factory.actors)
            default:
                query.names = [NameFilter("token.*")!]
                query.actor = factory.pick(factory.actors)
            }
            if round % 2 == 0 {
                let from = FixedClock.start.microseconds - Int64(random.next() % 100) * day
                query.from = Timestamp(microseconds: from)
                query.to = Timestamp(microseconds: from + Int64(1 + random.next() % 30) * day)
            }
            query.limit = [3, 17, 100][round % 3]
            let expected = stored.filter(query.matches).sorted {
                ($0.content.occurredAt, $0.seq) > ($1.content.occurredAt, $1.seq)
            }.map(\.seq)
            var seen: [UInt64] = []
            var page = query
            while true {
                let result = try await test.ledger.search(page)
                seen += result.events.map(\.seq)
                guard let cursor = result.nextCursor else { break }
                page.cursor = cursor
            }
            #expect(seen == expected, "round \(round): \(query)")
        }
    }
}

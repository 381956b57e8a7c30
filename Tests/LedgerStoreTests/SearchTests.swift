import LedgerCore
import Testing
@testable import LedgerStore

@Suite struct SearchTests {
    /// Every page of every random query equals a brute-force filter-and-sort over all events.
    @Test func searchMatchesABruteForceOracleThroughEveryPage() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 42)
        var stored: [StoredEvent] = []
        for _ in 0..<6 {
            let batch = (0..<500).map { _ in factory.event() }
            let receipts = try await test.ledger.append(batch)
            for receipt in receipts {
                let account = batch[Int(receipt.seq - 1) % 500].content.account
                stored.append(try #require(try await test.ledger.event(account: account, seq: receipt.seq)))
            }
        }
        var random = SplitMix64(seed: 7)
        for round in 0..<150 {
            let query = randomQuery(&random, factory: &factory)
            let expected = stored.filter(query.matches).sorted {
                ($0.content.occurredAt, $0.seq) > ($1.content.occurredAt, $1.seq)
            }.map(\.seq)
            var seen: [UInt64] = []
            var page = query
            while true {
                let result = try await test.ledger.search(page)
                #expect(result.events.count <= page.limit)
                seen += result.events.map(\.seq)
                guard let cursor = result.nextCursor else { break }
                // Round-trip the cursor through its opaque token, as a client would.
                page.cursor = try #require(SearchCursor(token: cursor.token))
            }
            #expect(seen == expected, "round \(round): \(query)")
        }
    }

    private func randomQuery(_ random: inout SplitMix64, factory: inout EventFactory) -> SearchQuery {
        var query = SearchQuery(account: factory.pick(factory.accounts))
        func maybe(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
        if maybe(40) {
            query.names = [factory.pick([
                "stack.*", "server.*", "server.ssh.*", "stack.deploy", "token.revoke", "nomatch.*", "billing.*",
            ]).asNameFilter]
            if maybe(30) { query.names.append(NameFilter("user.login")!) }
        }
        if maybe(30) { query.actor = factory.pick(factory.actors) }
        if maybe(40) {
            let start = FixedClock.start.microseconds - Int64(random.next() % 500) * 60_000_000
            query.from = Timestamp(microseconds: start)
            if maybe(70) { query.to = Timestamp(microseconds: start + Int64(random.next() % 300) * 60_000_000) }
        }
        if maybe(20) { query.outcome = maybe(50) ? .failure : .success }
        if maybe(15) { query.country = factory.pick(["GB", "DE", "US", "JP", "FR"]) }
        if maybe(10) { query.city = factory.pick(["london", "Berlin", "TOKYO"]) }
        if maybe(15) { query.ipNetwork = IPNetwork(factory.pick(["81.0.0.0/8", "82.2.1.0/24", "83.2.0.0/16", "2001:db8::/32"])) }
        if maybe(15) { query.target = TargetFilter(type: factory.pick(["stack", "server"]), id: "t\(random.next() % 5)") }
        if maybe(20) { query.text = factory.pick(["alpha", "bravo happened", "jane", "deploy", "ssh login", "zulu"]) }
        query.limit = [1, 7, 50, 100, 1000][Int(random.next() % 5)]
        return query
    }

    @Test func pagingIsStableWhileEventsAreAppended() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 9)
        _ = try await test.ledger.append((0..<300).map { _ in factory.event() })
        var query = SearchQuery(account: "acme")
        query.limit = 10
        let first = try await test.ledger.search(query)
        // Events arriving between pages land before the cursor (newer) or are new rows; the next
        // page neither repeats nor skips what the first snapshot had after the cursor.
        _ = try await test.ledger.append((0..<300).map { _ in factory.event() })
        query.cursor = first.nextCursor
        let second = try await test.ledger.search(query)
        let cursor = try #require(first.nextCursor)
        #expect(second.events.allSatisfy { cursor.precedes(occurredAt: $0.content.occurredAt, seq: $0.seq) })
        #expect(Set(first.events.map(\.seq)).isDisjoint(with: second.events.map(\.seq)))
    }

    @Test func anotherAccountsEventsAreNeverReturned() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 10)
        let receipts = try await test.ledger.append((0..<200).map { _ in factory.event() })
        let page = try await test.ledger.search(SearchQuery(account: "globex"))
        #expect(page.events.allSatisfy { $0.content.account == "globex" })
        let acmeSeq = try #require(receipts.first { _ in true }?.seq)
        let acmeEvent = try await test.ledger.event(account: "acme", seq: acmeSeq)
        let asGlobex = try await test.ledger.event(account: "nobody", seq: acmeSeq)
        #expect(acmeEvent != nil || asGlobex == nil)
        #expect(asGlobex == nil)
    }
}

private extension String {
    var asNameFilter: NameFilter { NameFilter(self)! }
}

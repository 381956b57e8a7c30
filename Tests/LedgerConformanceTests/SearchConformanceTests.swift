import LedgerCore
import LedgerStore
import LedgerTestSupport
import Testing

/// Microseconds in a UTC day, the unit the day-keyed indexes are read in.
private let day: Int64 = 86_400_000_000

@Suite(.serialized) struct SearchConformanceTests {
    /// Every page of every random query equals a brute-force filter-and-sort over all events.
    @Test(arguments: Backend.allCases)
    func searchMatchesABruteForceOracleThroughEveryPage(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
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
                try await expectPagesMatchTheOracle(test.ledger, query, stored, "round \(round)")
            }
        }
    }

    private func randomQuery(_ random: inout SplitMix64, factory: inout EventFactory) -> SearchQuery {
        var query = SearchQuery(account: factory.pick(factory.accounts))
        func maybe(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
        if maybe(40) {
            query.names = [NameFilter(factory.pick([
                "stack.*", "server.*", "server.ssh.*", "stack.deploy", "token.revoke", "nomatch.*", "billing.*",
            ]))!]
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

    @Test(arguments: Backend.allCases)
    func pagingIsStableWhileEventsAreAppended(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
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
            #expect(second.events.count == 10)
            #expect(second.events.allSatisfy { cursor.precedes(occurredAt: $0.content.occurredAt, seq: $0.seq) })
            #expect(Set(first.events.map(\.seq)).isDisjoint(with: second.events.map(\.seq)))
        }
    }

    @Test(arguments: Backend.allCases)
    func anotherAccountsEventsAreNeverReturned(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 10)
            let events = (0..<200).map { _ in factory.event() }
            let receipts = try await test.ledger.append(events)
            let page = try await test.ledger.search(with(SearchQuery(account: "globex")) { $0.limit = 1000 })
            #expect(!page.events.isEmpty)
            #expect(page.events.allSatisfy { $0.content.account == "globex" })
            let acme = try #require(zip(events, receipts).first { $0.0.content.account == "acme" }?.1)
            #expect(try await test.ledger.event(account: "acme", seq: acme.seq) != nil)
            #expect(try await test.ledger.event(account: "globex", seq: acme.seq) == nil)
            #expect(try await test.ledger.search(SearchQuery(account: "nobody")).events.isEmpty)
        }
    }

    /// Full text ignores case and diacritics on both sides, as SQLite's unicode61 tokenizer does.
    @Test(arguments: Backend.allCases)
    func fullTextIgnoresCaseAndDiacritics(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 16)
            var event = factory.event()
            event.content.account = "acme"
            event.content.description = "Café crème at the Zürich office"
            let receipts = try await test.ledger.append([NewEvent(content: event.content, occurredAtGiven: true), factory.event()])
            for text in ["cafe", "CAFÉ", "creme zurich", "zürich office"] {
                let page = try await test.ledger.search(with(SearchQuery(account: "acme")) { $0.text = text })
                #expect(page.events.map(\.seq) == [receipts[0].seq], "\(text)")
            }
            #expect(try await test.ledger.search(with(SearchQuery(account: "acme")) { $0.text = "cafe tea" }).events.isEmpty)
        }
    }

    /// Name, actor and target searches across many days, empty days, and events before the epoch.
    @Test(arguments: Backend.allCases)
    func pagesThatCrossDaysMatchABruteForceOracle(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 77)
            var random = SplitMix64(seed: 5)
            var batch: [NewEvent] = []
            for index in 0..<1_500 {
                var event = factory.event()
                // Clusters of days with gaps between them, a few days around the epoch.
                let dayOffset = index % 10 == 0 ? Int64(random.next() % 3) - 1 - 20_413 : Int64(random.next() % 40) * 3
                event.content.occurredAt = Timestamp(microseconds: FixedClock.start.microseconds - dayOffset * day
                                                     - Int64(random.next() % UInt64(day)))
                batch.append(event)
            }
            let stored = try await appendAndReadBack(batch, to: test.ledger)
            for round in 0..<120 {
                var query = SearchQuery(account: factory.pick(factory.accounts))
                switch round % 6 {
                case 0: query.names = [NameFilter(factory.pick(["stack.*", "server.ssh.*", "user.login"]))!]
                case 1: query.actor = factory.pick(factory.actors)
                case 2:
                    query.target = TargetFilter(type: factory.pick(["stack", "server", "token"]), id: "t\(random.next() % 5)")
                    if random.next() % 2 == 0 { query.names = [NameFilter(factory.pick(["stack.*", "token.revoke"]))!] }
                case 3:
                    query.names = [NameFilter("token.*")!]
                    query.actor = factory.pick(factory.actors)
                case 4: randomTextOrCountry(&query, &random, &factory)
                default:
                    randomTextOrCountry(&query, &random, &factory)
                    query.names = [NameFilter(factory.pick(["stack.*", "user.login"]))!]
                }
                if round % 2 == 0 {
                    let from = FixedClock.start.microseconds - Int64(random.next() % 100) * day
                    query.from = Timestamp(microseconds: from)
                    query.to = Timestamp(microseconds: from + Int64(1 + random.next() % 30) * day)
                }
                query.limit = [3, 17, 100][round % 3]
                try await expectPagesMatchTheOracle(test.ledger, query, stored, "round \(round)")
            }
        }
    }

    /// Events on every one of 20 consecutive days, with windows that start exactly on, just before
    /// and just after midnight, so that pages end and resume on day boundaries.
    @Test(arguments: Backend.allCases)
    func pagesOverConsecutiveDaysMatchABruteForceOracle(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 91)
            var random = SplitMix64(seed: 12)
            let midnight = FixedClock.start.microseconds / day * day
            var batch: [NewEvent] = []
            for _ in 0..<900 {
                var event = factory.event()
                event.content.occurredAt = Timestamp(microseconds: midnight - Int64(random.next() % 20) * day
                                                     - 1 - Int64(random.next() % UInt64(day)))
                batch.append(event)
            }
            let stored = try await appendAndReadBack(batch, to: test.ledger)
            for round in 0..<72 {
                var query = SearchQuery(account: factory.pick(factory.accounts))
                switch round % 4 {
                case 0: query.names = [NameFilter(factory.pick(["stack.*", "user.login"]))!]
                case 1: query.actor = factory.pick(factory.actors)
                case 2: randomTextOrCountry(&query, &random, &factory)
                default: query.names = [NameFilter("token.*")!]
                }
                let from = midnight - Int64(1 + random.next() % 20) * day + [0, -1, 1][(round / 9) % 3]
                query.from = Timestamp(microseconds: from)
                if round % 2 == 0 { query.to = Timestamp(microseconds: from + Int64(1 + random.next() % 8) * day) }
                query.limit = [3, 17, 100][(round / 3) % 3]
                try await expectPagesMatchTheOracle(test.ledger, query, stored, "round \(round)")
            }
        }
    }
}

extension SearchConformanceTests {
    /// One account with events on 1,200 days, more than one full-text question covers in the
    /// SQLite store (`SearchSQL.maxRunDays`): a rare word, a country, a rare country (which the
    /// SQLite store asks for all days at once) and an absent word are found on every day that has
    /// them, in order, through every page.
    @Test(arguments: Backend.allCases)
    func searchesOverMoreDaysThanOneRunMatchABruteForceOracle(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 61)
            let batch = (0..<1_200).map { index in
                var event = factory.event()
                event.content.account = "acme"
                event.content.occurredAt = Timestamp(microseconds: FixedClock.start.microseconds - Int64(index) * day)
                if index % 37 == 0 { event.content.description = "rareword seen" }
                if index % 53 == 0 {
                    event.geo = GeoResult(status: .ok, location: GeoLocation(countryCode: "NZ", city: "Auckland",
                                                                            latitude: -36.8, longitude: 174.8))
                }
                return event
            }
            let stored = try await appendAndReadBack(batch, to: test.ledger)
            let cases: [(text: String?, country: String?, limit: Int)] = [
                ("rareword", nil, 7), ("rareword", nil, 100), (nil, "JP", 50), ("rareword", "GB", 3), ("zulu", nil, 100),
                (nil, "NZ", 5), (nil, "NZ", 100), ("rareword", "NZ", 2),
            ]
            for (text, country, limit) in cases {
                var query = SearchQuery(account: "acme")
                query.text = text
                query.country = country
                query.limit = limit
                try await expectPagesMatchTheOracle(test.ledger, query, stored, "\(text ?? "-") \(country ?? "-") \(limit)")
            }
        }
    }
}

extension SearchConformanceTests {
    /// A cursor is a client's token, so its time can be anything 64 bits hold. At the extremes every
    /// kind of search answers as the oracle does (everything precedes the largest, nothing the
    /// smallest) instead of overflowing while it works out where to start.
    @Test(arguments: Backend.allCases)
    func cursorsAtTheEndsOfTimeMatchABruteForceOracle(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 67)
            let stored = try await appendAndReadBack((0..<300).map { _ in factory.event() }, to: test.ledger)
            for occurredAt in [Int64.max, Int64.min] {
                for filter in 0..<4 {
                    var query = SearchQuery(account: "acme")
                    switch filter {
                    case 0: break
                    case 1: query.names = [NameFilter("stack.*")!]
                    case 2: query.text = "deploy"
                    default: query.country = "GB"
                    }
                    query.cursor = SearchCursor(occurredAt: Timestamp(microseconds: occurredAt), seq: UInt64(Int64.max))
                    query.limit = 1_000
                    let expected = stored.filter { query.matches($0) && query.cursor!.precedes(occurredAt: $0.content.occurredAt, seq: $0.seq) }
                    let page = try await test.ledger.search(query)
                    #expect(Set(page.events.map(\.seq)) == Set(expected.map(\.seq)), "\(occurredAt) filter \(filter)")
                    #expect(occurredAt == .min ? expected.isEmpty : !expected.isEmpty)
                }
            }
        }
    }
}

/// Words, a country or both: the searches the SQLite store scopes to a day in its full-text index,
/// where a day with few candidates is read by seq and one with many through the account's index.
private func randomTextOrCountry(_ query: inout SearchQuery, _ random: inout SplitMix64, _ factory: inout EventFactory) {
    switch random.next() % 3 {
    case 0: query.text = factory.pick(["alpha", "bravo happened", "jane", "deploy", "ssh login", "zulu"])
    case 1: query.country = factory.pick(["GB", "DE", "US", "JP", "FR"])
    default:
        query.text = factory.pick(["deploy", "jane", "alpha"])
        query.country = factory.pick(["GB", "DE", "US"])
    }
}

/// Appends `batch` to an empty ledger and returns the events as stored (seq 1 onwards).
func appendAndReadBack(_ batch: [NewEvent], to ledger: TestableLedger) async throws -> [StoredEvent] {
    _ = try await ledger.append(batch)
    var stored: [StoredEvent] = []
    for seq in 1...UInt64(batch.count) {
        stored.append(try #require(try await ledger.event(account: batch[Int(seq - 1)].content.account, seq: seq)))
    }
    return stored
}

/// Reads every page of `query` (cursors round-tripped through their token, as a client would)
/// and compares the result with a brute-force filter-and-sort of `stored`.
func expectPagesMatchTheOracle(_ ledger: TestableLedger, _ query: SearchQuery, _ stored: [StoredEvent],
                               _ label: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let expected = stored.filter(query.matches).sorted {
        ($0.content.occurredAt, $0.seq) > ($1.content.occurredAt, $1.seq)
    }.map(\.seq)
    var seen: [UInt64] = []
    var page = query
    while true {
        let result = try await ledger.search(page)
        #expect(result.events.count <= page.limit, sourceLocation: sourceLocation)
        seen += result.events.map(\.seq)
        guard let cursor = result.nextCursor else { break }
        page.cursor = try #require(SearchCursor(token: cursor.token), sourceLocation: sourceLocation)
    }
    #expect(seen == expected, "\(label): \(query)", sourceLocation: sourceLocation)
}

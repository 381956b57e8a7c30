import Foundation
import LedgerCore
import LedgerStore

/// One benchmark query, in a form both this process and the PostgreSQL peer can run.
struct QuerySpec {
    var kind: String
    var account: String
    var name: String?
    var prefix: String?
    var actor: String?
    var country: String?
    var text: String?
    var from: Int64?
    var to: Int64?
    /// For `next_page`: the keyset of the first page's last row.
    var cursor: (occurredAt: Int64, seq: UInt64)?

    var searchQuery: SearchQuery {
        var query = SearchQuery(account: account)
        if let name { query.names = [.exact(name)] }
        if let prefix { query.names = [.prefix(prefix)] }
        query.actor = actor
        query.country = country
        query.text = text
        query.from = from.map(Timestamp.init(microseconds:))
        query.to = to.map(Timestamp.init(microseconds:))
        query.cursor = cursor.map { SearchCursor(occurredAt: Timestamp(microseconds: $0.occurredAt), seq: $0.seq) }
        query.limit = 100
        return query
    }

    var json: String {
        var object = JSONObject()
        object["kind"] = .string(kind)
        object["account"] = .string(account)
        if let name { object["name"] = .string(name) }
        if let prefix { object["prefix"] = .string(prefix) }
        if let actor { object["actor"] = .string(actor) }
        if let country { object["country"] = .string(country) }
        if let text { object["words"] = .array(FullText.words(in: text).sorted().map { .string($0) }) }
        if let from { object["from"] = JSONValue(integer: from) }
        if let to { object["to"] = JSONValue(integer: to) }
        if let cursor {
            object["cursor_occurred_at"] = JSONValue(integer: cursor.occurredAt)
            object["cursor_seq"] = JSONValue(integer: cursor.seq)
        }
        return JSONValue.object(object).canonicalText
    }
}

/// The B3 query mix: accounts drawn with the ingest skew (big accounts search more), 30-day
/// windows anywhere in the 90 days, names and words drawn as often as they occur.
func benchmarkQueries(ledger: any LedgerRepository, count: Int, seed: UInt64) async throws -> [QuerySpec] {
    let generator = EventGenerator(seed: seed, total: 1)
    var random = SplitMix64(seed: seed ^ 0x5EA2C4)
    let window: Int64 = 30 * 86_400_000_000
    let span = EventGenerator.end.microseconds - EventGenerator.start.microseconds - window
    var specs: [QuerySpec] = []
    for _ in 0..<count {
        let accountRank = generator.accounts.draw(&random)
        let account = EventGenerator.account(accountRank)
        let from = EventGenerator.start.microseconds + Int64(random.next() % UInt64(span))
        let name = EventGenerator.names[generator.nameRanks.draw(&random)]
        let family = EventGenerator.families[random.below(EventGenerator.families.count)]
        let actor = EventGenerator.actor(EventGenerator.actorIndex(account: accountRank, rank: generator.actorRanks.draw(&random)))
        let words = (0..<2).map { _ in EventGenerator.words[generator.wordRanks.draw(&random)] }
        specs.append(QuerySpec(kind: "name_range", account: account, name: name, from: from, to: from + window))
        specs.append(QuerySpec(kind: "prefix_range", account: account, prefix: family + ".", from: from, to: from + window))
        specs.append(QuerySpec(kind: "actor_range", account: account, actor: actor, from: from, to: from + window))
        specs.append(QuerySpec(kind: "full_text", account: account, text: words.joined(separator: " ")))
        // A country the account's events actually come from, as a user would filter by.
        let recent = try await ledger.search(SearchQuery(account: account))
        let countries = recent.events.compactMap { $0.geo.location?.countryCode }
        specs.append(QuerySpec(kind: "country", account: account,
                               country: countries.isEmpty ? "US" : countries[random.below(countries.count)]))
        // The second page of an account-wide name query, by keyset cursor.
        var first = QuerySpec(kind: "next_page", account: account, name: name)
        if let cursor = try await ledger.search(first.searchQuery).nextCursor {
            first.cursor = (cursor.occurredAt.microseconds, cursor.seq)
            specs.append(first)
        }
    }
    return specs
}

struct LatencySummary {
    var kind: String
    var samples: [Double]
    var rows: Int

    func percentile(_ p: Double) -> Double {
        let sorted = samples.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
}

/// Runs the first 200 queries once to warm the caches, then every query timed; milliseconds per
/// query by kind. Says on stderr when the timed queries begin.
/// `slowest`: how many of the slowest queries of each kind to print to stderr, with their time
/// and rows, to see what sets a p99.
func runSearches(ledger: any LedgerRepository, specs: [QuerySpec], slowest: Int = 0) async throws -> [LatencySummary] {
    for spec in specs.prefix(200) { _ = try await ledger.search(spec.searchQuery) }
    // So that a profile of the run can leave out the query generation and the warm-up:
    // `perf record -k CLOCK_MONOTONIC …`, then `perf report --time SECONDS,` (Benchmarks/PROFILES.md).
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    FileHandle.standardError.write(Data("timed queries from CLOCK_MONOTONIC \(now.tv_sec).\(String(format: "%09d", now.tv_nsec))\n".utf8))
    var byKind: [String: LatencySummary] = [:]
    var timed: [(milliseconds: Double, rows: Int, spec: QuerySpec)] = []
    for spec in specs {
        let query = spec.searchQuery
        let began = ContinuousClock.now
        let page = try await ledger.search(query)
        let elapsed = seconds(since: began) * 1_000
        byKind[spec.kind, default: LatencySummary(kind: spec.kind, samples: [], rows: 0)].samples.append(elapsed)
        byKind[spec.kind]!.rows += page.events.count
        if slowest > 0 { timed.append((elapsed, page.events.count, spec)) }
    }
    for (kind, queries) in Dictionary(grouping: timed, by: \.spec.kind).sorted(by: { $0.key < $1.key }) {
        for query in queries.sorted(by: { $0.milliseconds > $1.milliseconds }).prefix(slowest) {
            FileHandle.standardError.write(Data("slowest \(kind): \(String(format: "%.3f", query.milliseconds)) ms, \(query.rows) rows: \(query.spec.json)\n".utf8))
        }
    }
    return byKind.values.sorted { $0.kind < $1.kind }
}

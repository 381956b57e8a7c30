import LedgerCore
import LedgerStore
import PostgresNIO

extension PostgresLedger {
    /// Name filters with more exact names than this read `name = ANY(…)` instead of one index
    /// branch per name.
    static let maxNameBranches = 64

    public func search(_ query: SearchQuery) async throws -> SearchPage {
        try await PostgresErrors.completing { [self] in
            let names = try await resolveNames(query)
            if names == [] { return SearchPage(events: [], nextCursor: nil) }
            let plan = PostgresSearchSQL(query: query, names: names)
            var events: [StoredEvent] = []
            for canonical in try await pool.column(plan.query, as: ByteBuffer.self, logger: logger) {
                events.append(try Self.decode(canonical))
            }
            var nextCursor: SearchCursor?
            if events.count > query.limit {
                events.removeLast(events.count - query.limit)
                let last = events[events.count - 1]
                nextCursor = SearchCursor(occurredAt: last.content.occurredAt, seq: last.seq)
            }
            return SearchPage(events: events, nextCursor: nextCursor)
        }
    }

    /// The exact names to look up, each `prefix.*` family expanded through the account's known
    /// names so that every branch reads the (account, name, time) index. Nil: no name filter;
    /// empty: nothing can match.
    private func resolveNames(_ query: SearchQuery) async throws -> [String]? {
        if query.names.isEmpty { return nil }
        var names = Set<String>()
        var prefixes: [String] = []
        for filter in query.names {
            switch filter {
            case .exact(let name): names.insert(name)
            case .prefix(let prefix): prefixes.append(prefix)
            }
        }
        if !prefixes.isEmpty {
            let lookup: PostgresQuery = """
                SELECT n.name FROM account_names n, unnest(\(prefixes)::text[]) AS p(prefix)
                WHERE n.account = \(query.account) AND starts_with(n.name, p.prefix)
                """
            names.formUnion(try await pool.column(lookup, as: String.self, logger: logger))
        }
        return names.sorted()
    }
}

/// The SQL for one search page, newest first, returning `canonical` for `limit + 1` rows.
///
/// Each filter is one AND-ed term. Several exact names become a UNION ALL of one ordered index
/// range per name, each cut to the page size, so that a page costs its size rather than the
/// number of matching rows.
struct PostgresSearchSQL {
    private(set) var query: PostgresQuery

    init(query search: SearchQuery, names: [String]?) {
        var builder = SQLBuilder()
        let account = builder.bind(search.account)
        let limit = builder.bind(Int64(search.limit + 1))
        let filters = Self.filters(search, account: account, &builder)
        let order = " ORDER BY occurred_at DESC, seq DESC LIMIT \(limit)"
        let select = "SELECT seq, occurred_at, canonical FROM events WHERE account = \(account)"
        if let names, names.count > 1, names.count <= PostgresLedger.maxNameBranches {
            let legs = names.map { name in "(\(select) AND name = \(builder.bind(name))\(filters)\(order))" }
            builder.append("SELECT canonical FROM (" + legs.joined(separator: " UNION ALL ") + ") AS page" + order)
        } else if let names {
            let nameTerm = names.count == 1 ? " AND name = \(builder.bind(names[0]))" : " AND name = ANY(\(builder.bind(names))::text[])"
            builder.append("SELECT canonical FROM events WHERE account = \(account)" + nameTerm + filters + order)
        } else {
            builder.append("SELECT canonical FROM events WHERE account = \(account)" + filters + order)
        }
        query = builder.query
    }

    /// Every filter except account and name, as " AND …" terms.
    private static func filters(_ search: SearchQuery, account: String, _ builder: inout SQLBuilder) -> String {
        var sql = ""
        if let actor = search.actor { sql += " AND actor_id = \(builder.bind(actor))" }
        if let from = search.from { sql += " AND occurred_at >= \(builder.bind(from.microseconds))" }
        if let to = search.to { sql += " AND occurred_at < \(builder.bind(to.microseconds))" }
        if let outcome = search.outcome { sql += " AND outcome = \(builder.bind(Int32(outcome.rawValue)))" }
        if let country = search.country { sql += " AND country_code = \(builder.bind(country))" }
        if let city = search.city { sql += " AND lower(city) = lower(\(builder.bind(city)))" }
        if let network = search.ipNetwork {
            let (lower, upper) = network.range16
            sql += " AND ip BETWEEN \(builder.bind(ByteBuffer(lower))) AND \(builder.bind(ByteBuffer(upper)))"
        }
        if let target = search.target {
            sql += " AND seq IN (SELECT seq FROM event_targets WHERE account = \(account)"
                + " AND target_type = \(builder.bind(target.type)) AND target_id = \(builder.bind(target.id)))"
        }
        if let text = search.text, let words = PostgresFullText.query(text) {
            sql += " AND words @@ \(builder.bind(words))::tsquery"
        }
        if let cursor = search.cursor {
            sql += " AND (occurred_at, seq) < (\(builder.bind(cursor.occurredAt.microseconds)), \(builder.bind(Int64(cursor.seq))))"
        }
        return sql
    }
}

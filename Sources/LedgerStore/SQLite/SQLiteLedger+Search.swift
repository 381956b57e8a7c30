import LedgerCore

extension SQLiteLedger {
    /// Name families with more names than this are filtered by a range on `name` instead of
    /// one index branch per name.
    static let maxNameBranches = 64

    public func search(_ query: SearchQuery) async throws -> SearchPage {
        try await readers.withConnection { connection in
            try connection.transaction("DEFERRED") {
                let names = try Self.resolveNames(query, connection)
                if names == [] { return SearchPage(events: [], nextCursor: nil) }
                let plan = SearchSQL(query: query, names: names)
                let statement = try connection.uncachedStatement(plan.sql)
                let pageSize = query.limit + 1
                var events: [StoredEvent] = []
                events.reserveCapacity(pageSize)
                func read(_ values: [SQLiteValue]) throws {
                    statement.reset()
                    try statement.bindAll(values)
                    while events.count < pageSize, try statement.step() {
                        events.append(try Self.decode(statement.blob(2)))
                    }
                }
                if plan.dayParameters.isEmpty {
                    try read(plan.values)
                } else {
                    // Days come newest first and each day's rows are in page order, so the page is
                    // the concatenation; it usually fills from the first day or two.
                    var days = DayWalk(query: query)
                    while events.count < pageSize, let day = try days.next(connection) {
                        var values = plan.values
                        for index in plan.dayParameters { values[index] = .integer(day) }
                        try read(values)
                    }
                }
                var nextCursor: SearchCursor? = nil
                if events.count > query.limit {
                    events.removeLast(events.count - query.limit)
                    let last = events[events.count - 1]
                    nextCursor = SearchCursor(occurredAt: last.content.occurredAt, seq: last.seq)
                }
                return SearchPage(events: events, nextCursor: nextCursor)
            }
        }
    }

    /// The exact names to look up, with each `prefix.*` family expanded through the account's
    /// known names so that every branch can use the (account, name, time) index. Nil means no
    /// name filter; an empty list means nothing can match.
    static func resolveNames(_ query: SearchQuery, _ connection: SQLiteConnection) throws -> [String]? {
        if query.names.isEmpty { return nil }
        var names = Set<String>()
        for filter in query.names {
            switch filter {
            case .exact(let name):
                names.insert(name)
            case .prefix(let prefix):
                let statement = try connection.statement(
                    "SELECT name FROM account_names WHERE account = ? AND name >= ? AND name < ?")
                try statement.bind(1, query.account)
                try statement.bind(2, prefix)
                try statement.bind(3, prefixUpperBound(prefix))
                while try statement.step() {
                    if let name = statement.text(0) { names.insert(name) }
                }
                statement.reset()
            }
        }
        return names.sorted()
    }

    /// The smallest string greater than every string starting with `prefix` (names are ASCII).
    static func prefixUpperBound(_ prefix: String) -> String {
        var bytes = Array(prefix.utf8)
        bytes[bytes.count - 1] += 1
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The UTC days (`occurred_at / 86400000000`, SQLite's truncating division) that hold events of
/// the query's account inside its window, newest first. Each step is one seek on
/// (account, occurred_at), so empty stretches of time cost nothing.
struct DayWalk {
    static let microsecondsPerDay: Int64 = 86_400_000_000
    private let account: String
    private let from: Int64?
    /// Only events with `occurred_at` below this remain to be read.
    private var upperExclusive: Int64?

    init(query: SearchQuery) {
        account = query.account
        from = query.from?.microseconds
        var upper = query.to?.microseconds
        if let cursor = query.cursor {
            // Rows at the cursor's own time may still follow it (same time, lower seq).
            let atCursor = cursor.occurredAt.microseconds + 1
            upper = min(upper ?? atCursor, atCursor)
        }
        upperExclusive = upper
    }

    mutating func next(_ connection: SQLiteConnection) throws -> Int64? {
        let statement = try connection.statement("""
            SELECT max(occurred_at) FROM events WHERE account = ? AND occurred_at < ? AND occurred_at >= ?
            """)
        try statement.bind(1, account)
        try statement.bind(2, upperExclusive ?? Int64.max)
        try statement.bind(3, from ?? Int64.min)
        defer { statement.reset() }
        guard try statement.step(), !statement.isNull(0) else { return nil }
        let day = Self.day(of: statement.int64(0))
        upperExclusive = Self.firstMicrosecond(ofDay: day)
        return day
    }

    /// The day an event that occurred at `microseconds` is indexed under (SQLiteSchema migrations 3
    /// and 5): truncating division, as SQLite's integer `/` and `SearchSQL.dayExpression` compute it.
    static func day(of microseconds: Int64) -> Int64 { microseconds / microsecondsPerDay }

    /// The smallest `occurred_at` whose truncated day is `day` (day 0 spans both sides of the epoch).
    static func firstMicrosecond(ofDay day: Int64) -> Int64 {
        day > 0 ? day * microsecondsPerDay : day * microsecondsPerDay - microsecondsPerDay + 1
    }
}

/// The SQL for one search page, newest first, with its bound values. Every plan returns the
/// columns (seq, occurred_at, canonical).
///
/// Each filter is one AND-ed term. Several name legs (exact names, prefix families) become a
/// UNION ALL of one index range per leg, each cut to the page size, so that a page costs its page
/// size rather than the matching rows' count (PERFORMANCE-NOTES.md: 3.2 ms instead of 7.6 ms at 1M
/// events for a family read name by name).
struct SearchSQL {
    /// Must be written exactly as in the index definitions (SQLiteSchema migration 3).
    static let dayExpression = "occurred_at / 86400000000"

    private(set) var sql = ""
    private(set) var values: [SQLiteValue] = []
    /// Positions in `values` that take the day being read; empty when the plan reads all days at once.
    private(set) var dayParameters: [Int] = []

    /// One leg of a name filter: an exact name, or a `prefix.*` family as the range of names
    /// [lower, upper), which within one day is one contiguous stretch of the (account, day, name,
    /// time) index.
    enum NameLeg: Hashable {
        case exact(String)
        case range(String, String)
    }

    /// The legs for the query's name filters: one range per prefix (prefixes inside a shorter one
    /// dropped) and one leg per exact name outside every prefix, so no row is read twice.
    static func nameLegs(_ filters: [NameFilter]) -> [NameLeg] {
        var prefixes: [String] = []
        for case .prefix(let prefix) in filters { prefixes.append(prefix) }
        prefixes = Array(Set(prefixes)).sorted()
        prefixes = prefixes.filter { prefix in !prefixes.contains { $0 != prefix && prefix.hasPrefix($0) } }
        var exact: Set<String> = []
        for case .exact(let name) in filters where !prefixes.contains(where: { name.hasPrefix($0) }) {
            exact.insert(name)
        }
        return prefixes.map { .range($0, SQLiteLedger.prefixUpperBound($0)) } + exact.sorted().map { .exact($0) }
    }

    /// Name, actor and target filters read the (account, day, …) indexes one day at a time.
    /// `names` are the resolved names (nil: no name filter); a query with a prefix reads each
    /// family as one range per day instead of one branch per name.
    init(query: SearchQuery, names: [String]?) {
        let pageSize = Int64(query.limit + 1)
        let byDay = names != nil || query.actor != nil || query.target != nil
        let (filterSQL, filterValues, filterDayParameters) = Self.filters(query)
        let order = " ORDER BY occurred_at DESC, seq DESC LIMIT ?"
        var parameters = 0
        var dayParameters: [Int] = []
        func branch(_ leg: NameLeg?) -> (String, [SQLiteValue]) {
            var sql = "SELECT seq, occurred_at, canonical FROM events WHERE account = ?"
            var values: [SQLiteValue] = [.text(query.account)]
            if byDay {
                sql += " AND \(Self.dayExpression) = ?"
                dayParameters.append(parameters + values.count)
                values.append(.integer(0))
            }
            func appendFilters() {
                dayParameters += filterDayParameters.map { parameters + values.count + $0 }
                values += filterValues
            }
            switch leg {
            case nil:
                sql += filterSQL
                appendFilters()
            case .exact(let name):
                sql += " AND name = ?" + filterSQL
                values.append(.text(name))
                appendFilters()
            case .range(let lower, let upper):
                // The family's rows of the day come in name order: pick the page's seqs from the
                // index alone (a covering read and a small sort), then fetch only those rows.
                // INDEXED BY: with a time range the planner would otherwise scan (account, time).
                sql = "SELECT seq, occurred_at, canonical FROM events WHERE seq IN "
                    + "(SELECT seq FROM events INDEXED BY events_account_day_name_time WHERE "
                    + sql.dropFirst("SELECT seq, occurred_at, canonical FROM events WHERE ".count)
                    + " AND name >= ? AND name < ?" + filterSQL + order + ")"
                values += [.text(lower), .text(upper)]
                appendFilters()
                values.append(.integer(pageSize))
            }
            parameters += values.count
            return (sql, values)
        }
        defer { self.dayParameters = dayParameters }
        let legs: [NameLeg?]
        if names != nil, query.names.contains(where: { if case .prefix = $0 { true } else { false } }) {
            legs = Self.nameLegs(query.names)
        } else if let names {
            legs = names.map { .exact($0) }
        } else {
            legs = [nil]
        }
        if legs.count == 1 {
            let (branchSQL, branchValues) = branch(legs[0])
            sql = branchSQL + order
            values = branchValues + [.integer(pageSize)]
            return
        }
        if legs.count > SQLiteLedger.maxNameBranches, let names {
            // Too many branches: one range per common prefix is cheaper to plan than hundreds of legs.
            let (branchSQL, branchValues) = branch(nil)
            let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
            sql = branchSQL + " AND name IN (\(placeholders))" + order
            values = branchValues + names.map { .text($0) } + [.integer(pageSize)]
            return
        }
        var parts: [String] = []
        for leg in legs {
            let (branchSQL, branchValues) = branch(leg)
            parts.append("SELECT * FROM (" + branchSQL + order + ")")
            values += branchValues + [.integer(pageSize)]
            parameters += 1
        }
        sql = "SELECT seq, occurred_at, canonical FROM (" + parts.joined(separator: " UNION ALL ") + ")" + order
        values.append(.integer(pageSize))
    }

    /// Every filter except account and name, as " AND …" terms, with the positions in its values
    /// that take the day being read (the target term's).
    private static func filters(_ query: SearchQuery) -> (String, [SQLiteValue], [Int]) {
        var sql = ""
        var values: [SQLiteValue] = []
        var dayParameters: [Int] = []
        if let actor = query.actor {
            sql += " AND actor_id = ?"
            values.append(.text(actor))
        }
        if let from = query.from {
            sql += " AND occurred_at >= ?"
            values.append(.integer(from.microseconds))
        }
        if let to = query.to {
            sql += " AND occurred_at < ?"
            values.append(.integer(to.microseconds))
        }
        if let outcome = query.outcome {
            sql += " AND outcome = ?"
            values.append(.integer(Int64(outcome.rawValue)))
        }
        if let country = query.country {
            sql += " AND country_code = ?"
            values.append(.text(country))
        }
        if let city = query.city {
            sql += " AND city = ? COLLATE NOCASE"
            values.append(.text(city))
        }
        if let network = query.ipNetwork {
            let (lower, upper) = network.range16
            sql += " AND ip BETWEEN ? AND ?"
            values += [.blob(lower), .blob(upper)]
        }
        if let target = query.target {
            // event_targets leads with (account, day), so a target makes the plan read day by day.
            sql += " AND seq IN (SELECT seq FROM event_targets WHERE account = ? AND day = ? AND target_type = ? AND target_id = ?)"
            values.append(.text(query.account))
            dayParameters.append(values.count)
            values += [.integer(0), .text(target.type), .text(target.id)]
        }
        if let text = query.text {
            let words = FullText.words(in: text).sorted()
            if !words.isEmpty {
                // "+seq" keeps the planner on the account/time index; the FTS side only answers membership.
                sql += " AND +seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)"
                values.append(.text(words.map { "\"\($0)\"" }.joined(separator: " AND ")))
            }
        }
        if let cursor = query.cursor {
            sql += " AND (occurred_at < ? OR (occurred_at = ? AND seq < ?))"
            values += [.integer(cursor.occurredAt.microseconds), .integer(cursor.occurredAt.microseconds),
                       .integer(Int64(cursor.seq))]
        }
        return (sql, values, dayParameters)
    }
}

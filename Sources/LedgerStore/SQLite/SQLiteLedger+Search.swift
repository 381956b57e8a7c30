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
                let pageSize = query.limit + 1
                var events: [StoredEvent] = []
                events.reserveCapacity(pageSize)
                var rest = query
                if let walk = try self.wordWalk(query, names: names, connection) {
                    // The walk hands over where it stopped when its filter lets too many rows
                    // through that lack the words: the full-text index answers the rest.
                    guard let resume = try walk.read(into: &events, pageSize: pageSize, connection) else {
                        return Self.page(events, limit: query.limit)
                    }
                    rest.cursor = resume
                }
                try self.readPlanned(rest, names: names, pageSize: pageSize, into: &events, connection)
                return Self.page(events, limit: query.limit)
            }
        }
    }

    /// Reads the query's rows newest first into `events` until it holds `pageSize`, through the
    /// account's day-keyed indexes, or with words or a large account's country through the
    /// full-text index's scope tokens first.
    private func readPlanned(_ query: SearchQuery, names: [String]?, pageSize: Int, into events: inout [StoredEvent],
                             _ connection: SQLiteConnection) throws {
        let plan = SearchSQL(query: query, names: names,
                             scopesCountry: try self.scopesCountry(query, connection))
        func read(_ statement: SQLiteStatement, _ values: [SQLiteValue]) throws {
            statement.reset()
            try statement.bindAll(values)
            while events.count < pageSize, try statement.step() {
                events.append(try Self.decode(statement.blob(2)))
            }
        }
        // Prepared when first used: a scoped search may never read through the page's index.
        var prepared: [String: SQLiteStatement] = [:]
        func statement(_ sql: String) throws -> SQLiteStatement {
            if let statement = prepared[sql] { return statement }
            let statement = try connection.uncachedStatement(sql)
            prepared[sql] = statement
            return statement
        }
        // A country with no lower bound in time first asks for all of the account's events
        // there: when they are few (a rare country, however many days of the account's history
        // they spread over) they are the candidates, read by seq. With a lower bound, the days
        // of the window bound the walks below instead.
        if let accountScope = plan.accountScope {
            let limit = SearchSQL.candidateLimit(wanted: pageSize - events.count)
            let candidates = try accountScope.accountCandidates(limit: limit, connection)
            if candidates.count <= limit {
                if !candidates.isEmpty {
                    try read(try statement(plan.candidates.sql), plan.candidates.valuesForEveryDay(candidates: candidates))
                }
                return
            }
        }
        guard let scope = plan.scope else {
            let statement = try statement(plan.page.sql)
            if plan.page.slots.isEmpty {
                try read(statement, plan.page.values)
            } else {
                // Days come newest first and each day's rows are in page order, so the page
                // is the concatenation; it usually fills from the first day or two.
                var days = DayWalk(query: query)
                while events.count < pageSize, let day = try days.next(connection) {
                    try read(statement, plan.page.values(days: [day]))
                }
            }
            return
        }
        // With words or a country, the full-text index first names the candidates of a run
        // of days (FullTextScope). A run without any is skipped and one with a few is read by
        // seq. The next run is as long as the candidates found so far say a page needs, or
        // four times as long while none were found, so that a rare word costs a few index
        // queries rather than one per day; a country's run (without words) grows at most
        // fourfold, since the rate of its first day or two is a poor guess and a run that
        // finds too many has asked in vain. A run with many is halved, newest half first,
        // down to single days, which are read through the page's index in page order and
        // checked against the day's set, so that a common word stops after a page of rows.
        var found = 0
        func readScoped(_ run: ArraySlice<Int64>) throws -> Bool {
            let wanted = pageSize - events.count
            guard wanted > 0 else { return false }
            let limit = SearchSQL.candidateLimit(wanted: wanted)
            let candidates = try scope.candidates(days: run, limit: limit, connection)
            found += candidates.count
            if candidates.isEmpty { return true }
            if candidates.count <= limit {
                try read(try statement(plan.candidates.sql), plan.candidates.values(days: run, candidates: candidates))
                return true
            }
            if run.count == 1 {
                try read(try statement(plan.page.sql), plan.page.values(days: run))
            } else {
                let middle = run.startIndex + run.count / 2
                _ = try readScoped(run[..<middle])
                _ = try readScoped(run[middle...])
            }
            return false
        }
        var days = DayWalk(query: query)
        var daysRead = 0
        var runLength = 1
        while events.count < pageSize {
            var run: [Int64] = []
            while run.count < runLength, let day = try days.next(connection) { run.append(day) }
            if run.isEmpty { break }
            daysRead += run.count
            if try readScoped(run[...]) {
                let perDay = Double(found) / Double(daysRead)
                var needed = found == 0 ? Double(runLength * 4) : (Double(pageSize - events.count) / perDay).rounded(.up)
                if scope.words.isEmpty { needed = min(needed, Double(runLength * 4)) }
                runLength = Int(max(1, min(Double(SearchSQL.maxRunDays), needed)))
            } else {
                runLength = 1
            }
        }
    }

    /// The page of the first `limit` events, with a cursor when more were read.
    private static func page(_ events: [StoredEvent], limit: Int) -> SearchPage {
        var events = events
        var nextCursor: SearchCursor? = nil
        if events.count > limit {
            events.removeLast(events.count - limit)
            let last = events[events.count - 1]
            nextCursor = SearchCursor(occurredAt: last.content.occurredAt, seq: last.seq)
        }
        return SearchPage(events: events, nextCursor: nextCursor)
    }

    /// Whether a country filter is answered through the full-text index's scope tokens: only for
    /// an account with more than `Options.countryScanLimit` events.
    func scopesCountry(_ query: SearchQuery, _ connection: SQLiteConnection) throws -> Bool {
        guard query.country != nil else { return false }
        let statement = try connection.statement("SELECT max(account_seq) FROM events WHERE account = ?")
        try statement.bind(1, query.account)
        defer { statement.reset() }
        return try statement.step() && statement.int64(0) > countryScanLimit
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
        // Rows at the cursor's own time may still follow it (same time, lower seq). The cursor is
        // a client's token and may hold any time: at Int64.max it bounds nothing.
        if let cursor = query.cursor, cursor.occurredAt.microseconds < .max {
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

/// One statement's SQL and bound values, some of which are filled in for each day read.
struct DaySQL {
    /// A value that depends on the days being read: one day, or with a full-text scope a run of
    /// consecutive days that hold the account's events, newest first.
    enum Slot {
        /// The day's number (`DayWalk.day(of:)`), for the day-keyed indexes; a single day only.
        case day
        /// The numbers of the run's oldest and newest day.
        case firstDay, lastDay
        /// The first microsecond of the run's oldest day, and of the day after its newest: the
        /// run as a range of `occurred_at`.
        case dayStart, nextDayStart
        /// The full-text expression for the run (`FullTextScopeMatch`).
        case fullText
        /// The run's candidate seqs, as a JSON array for `json_each`.
        case candidates
    }

    private(set) var sql = ""
    private(set) var values: [SQLiteValue] = []
    private(set) var slots: [(index: Int, slot: Slot)] = []
    let fullText: FullTextScopeMatch?

    init(fullText: FullTextScopeMatch?) {
        self.fullText = fullText
    }

    mutating func append(_ sql: String, _ values: [SQLiteValue] = []) {
        self.sql += sql
        self.values += values
    }

    /// Appends " AND name IN (…)" with one parameter per name.
    mutating func appendNameIn(_ names: [String]) {
        append(" AND name IN (" + Array(repeating: "?", count: names.count).joined(separator: ", ") + ")",
               names.map { .text($0) })
    }

    /// Appends SQL whose one parameter is filled in for each day.
    mutating func append(_ sql: String, _ slot: Slot) {
        self.sql += sql
        slots.append((values.count, slot))
        values.append(.integer(0))
    }

    /// The values for a run of days, newest first (one day for the `day` slot).
    func values(days: some Collection<Int64>, candidates: [Int64] = []) -> [SQLiteValue] {
        let newest = days.max() ?? 0, oldest = days.min() ?? 0
        return filled { slot in
            switch slot {
            case .day, .lastDay: .integer(newest)
            case .firstDay: .integer(oldest)
            case .dayStart: .integer(DayWalk.firstMicrosecond(ofDay: oldest))
            case .nextDayStart: .integer(DayWalk.firstMicrosecond(ofDay: newest + 1))
            case .fullText: .text(fullText?.expression(days: days) ?? "")
            case .candidates: Self.jsonArray(candidates)
            }
        }
    }

    /// The values for candidates that may fall on any day: every day slot bounds nothing.
    /// (`occurred_at` is below `Int64.max`: timestamps end in the year 9999.)
    func valuesForEveryDay(candidates: [Int64]) -> [SQLiteValue] {
        filled { slot in
            switch slot {
            case .day, .firstDay, .dayStart: .integer(.min)
            case .lastDay, .nextDayStart: .integer(.max)
            case .fullText: .text("")
            case .candidates: Self.jsonArray(candidates)
            }
        }
    }

    private func filled(_ value: (Slot) -> SQLiteValue) -> [SQLiteValue] {
        var values = values
        for (index, slot) in slots { values[index] = value(slot) }
        return values
    }

    /// Seqs as the JSON array `json_each` reads.
    private static func jsonArray(_ seqs: [Int64]) -> SQLiteValue {
        .text("[" + seqs.map(String.init).joined(separator: ",") + "]")
    }
}

/// What a search with words or a country asks the full-text index for on each day: the scope
/// token of the account's day, or of its day in the country (`FullTextScope`), and every word.
struct FullTextScopeMatch {
    let account: String
    let country: String?
    let words: [String]

    /// The scope tokens of the days, OR-ed, AND every word.
    func expression(days: some Collection<Int64>) -> String {
        let scopes = days.map { day in
            "\"" + (country.map { FullTextScope.countryToken(account: account, day: day, country: $0) }
                ?? FullTextScope.dayToken(account: account, day: day)) + "\""
        }
        let scope = scopes.count == 1 ? scopes[0] : "(" + scopes.joined(separator: " OR ") + ")"
        return ([scope] + words.map { "\"\($0)\"" }).joined(separator: " AND ")
    }

    /// The seqs the index gives for the days, ascending: all of them, or `limit + 1` when there are more.
    func candidates(days: some Collection<Int64>, limit: Int, _ connection: SQLiteConnection) throws -> [Int64] {
        try candidates(expression(days: days), limit: limit, connection)
    }

    /// The same for every day of the account, through its token for the country AND every word
    /// (a query with a country only).
    func accountCandidates(limit: Int, _ connection: SQLiteConnection) throws -> [Int64] {
        guard let country else { preconditionFailure("an account's candidates are asked for a country") }
        let scope = "\"" + FullTextScope.accountCountryToken(account: account, country: country) + "\""
        return try candidates(([scope] + words.map { "\"\($0)\"" }).joined(separator: " AND "), limit: limit, connection)
    }

    private func candidates(_ expression: String, limit: Int, _ connection: SQLiteConnection) throws -> [Int64] {
        let statement = try connection.statement("SELECT rowid FROM events_fts WHERE events_fts MATCH ? LIMIT ?")
        try statement.bind(1, expression)
        try statement.bind(2, Int64(limit + 1))
        defer { statement.reset() }
        var seqs: [Int64] = []
        while try statement.step() { seqs.append(statement.int64(0)) }
        return seqs
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
    private static let columns = "SELECT seq, occurred_at, canonical FROM events WHERE "
    private static let order = " ORDER BY occurred_at DESC, seq DESC LIMIT ?"

    /// With words or a country: what the full-text index is asked for each day.
    let scope: FullTextScopeMatch?
    /// With a country and no lower bound in time: what the full-text index is first asked for
    /// every day of the account at once.
    let accountScope: FullTextScopeMatch?
    /// The page read through the account's indexes. Empty slots: one read covers every day.
    private(set) var page: DaySQL
    /// With either scope: the page read from the candidates, by seq.
    private(set) var candidates: DaySQL

    /// The most candidates a day's page is read from by seq. Each costs a table read (about 7 µs
    /// at 10M events, Benchmarks/PROFILES.md), so at most half of them may be wasted; with more,
    /// the index read stops once it has the page.
    static func candidateLimit(wanted: Int) -> Int { 2 * wanted }

    /// The most days one full-text question covers: its expression OR-s one token per day, and
    /// each costs a lookup in every index segment (33–41 µs at 10M events, Benchmarks/PROFILES.md).
    static let maxRunDays = 256

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

    /// Name, actor and target filters read the (account, day, …) indexes one day at a time, and so
    /// do words and countries, through the account/time index, one day's range at a time.
    /// `names` are the resolved names (nil: no name filter); a query with a prefix reads each
    /// family as one range per day instead of one branch per name.
    init(query: SearchQuery, names: [String]?, scopesCountry: Bool = true) {
        let pageSize = Int64(query.limit + 1)
        let words = query.text.map { FullText.words(in: $0).sorted() } ?? []
        let match = FullTextScopeMatch(account: query.account, country: query.country, words: words)
        let scope = !words.isEmpty || (query.country != nil && scopesCountry) ? match : nil
        self.scope = scope
        accountScope = query.country != nil && query.from == nil ? match : nil
        let byDayIndex = names != nil || query.actor != nil || query.target != nil
        var page = DaySQL(fullText: scope)

        func branch(_ leg: NameLeg?) {
            func accountAndDay() {
                page.append("account = ?", [.text(query.account)])
                if byDayIndex {
                    page.append(" AND \(Self.dayExpression) = ?", .day)
                } else if scope != nil {
                    page.append(" AND occurred_at >= ?", .dayStart)
                    page.append(" AND occurred_at < ?", .nextDayStart)
                }
            }
            switch leg {
            case nil:
                page.append(Self.columns)
                accountAndDay()
                Self.appendFilters(query, words: words, to: &page)
            case .exact(let name):
                page.append(Self.columns)
                accountAndDay()
                page.append(" AND name = ?", [.text(name)])
                Self.appendFilters(query, words: words, to: &page)
            case .range(let lower, let upper):
                // The family's rows of the day come in name order: pick the page's seqs from the
                // index alone (a covering read and a small sort), then fetch only those rows.
                // INDEXED BY: with a time range the planner would otherwise scan (account, time).
                page.append(Self.columns + "seq IN (SELECT seq FROM events INDEXED BY events_account_day_name_time WHERE ")
                accountAndDay()
                page.append(" AND name >= ? AND name < ?", [.text(lower), .text(upper)])
                Self.appendFilters(query, words: words, to: &page)
                page.append(Self.order + ")", [.integer(pageSize)])
            }
        }

        let legs: [NameLeg?]
        if names != nil, query.names.contains(where: { if case .prefix = $0 { true } else { false } }) {
            legs = Self.nameLegs(query.names)
        } else if let names {
            legs = names.map { .exact($0) }
        } else {
            legs = [nil]
        }
        if legs.count == 1 {
            branch(legs[0])
            page.append(Self.order, [.integer(pageSize)])
        } else if legs.count > SQLiteLedger.maxNameBranches, let names {
            // Too many branches: one range per common prefix is cheaper to plan than hundreds of legs.
            branch(nil)
            page.appendNameIn(names)
            page.append(Self.order, [.integer(pageSize)])
        } else {
            page.append("SELECT seq, occurred_at, canonical FROM (")
            for (index, leg) in legs.enumerated() {
                page.append(index == 0 ? "SELECT * FROM (" : " UNION ALL SELECT * FROM (")
                branch(leg)
                page.append(Self.order + ")", [.integer(pageSize)])
            }
            page.append(")" + Self.order, [.integer(pageSize)])
        }
        self.page = page

        // By seq: `+account` keeps the planner off the account indexes, so that the rows are
        // fetched by rowid; the words are implied by the candidates, every other filter is checked.
        var candidates = DaySQL(fullText: scope)
        if scope != nil || accountScope != nil {
            candidates.append(Self.columns + "seq IN (SELECT value FROM json_each(?))", .candidates)
            candidates.append(" AND +account = ?", [.text(query.account)])
            candidates.append(" AND occurred_at >= ?", .dayStart)
            candidates.append(" AND occurred_at < ?", .nextDayStart)
            if let names {
                candidates.appendNameIn(names)
            }
            Self.appendFilters(query, words: [], daysAsRun: true, to: &candidates)
            candidates.append(Self.order, [.integer(pageSize)])
        }
        self.candidates = candidates
    }

    /// Every filter except account and name, as " AND …" terms. `words` (sorted) are checked
    /// against the day's full-text scope; `daysAsRun`: the statement reads a run of days, not one.
    static func appendFilters(_ query: SearchQuery, words: [String], daysAsRun: Bool = false,
                                      to sql: inout DaySQL) {
        if let actor = query.actor {
            sql.append(" AND actor_id = ?", [.text(actor)])
        }
        if let from = query.from {
            sql.append(" AND occurred_at >= ?", [.integer(from.microseconds)])
        }
        if let to = query.to {
            sql.append(" AND occurred_at < ?", [.integer(to.microseconds)])
        }
        if let outcome = query.outcome {
            sql.append(" AND outcome = ?", [.integer(Int64(outcome.rawValue))])
        }
        if let country = query.country {
            sql.append(" AND country_code = ?", [.text(country)])
        }
        if let city = query.city {
            sql.append(" AND city = ? COLLATE NOCASE", [.text(city)])
        }
        if let network = query.ipNetwork {
            let (lower, upper) = network.range16
            sql.append(" AND ip BETWEEN ? AND ?", [.blob(lower), .blob(upper)])
        }
        if let target = query.target {
            // event_targets leads with (account, day), so a target makes the plan read day by day.
            sql.append(" AND seq IN (SELECT seq FROM event_targets WHERE account = ?", [.text(query.account)])
            if daysAsRun {
                sql.append(" AND day >= ?", .firstDay)
                sql.append(" AND day <= ?", .lastDay)
            } else {
                sql.append(" AND day = ?", .day)
            }
            sql.append(" AND target_type = ? AND target_id = ?)", [.text(target.type), .text(target.id)])
        }
        if !words.isEmpty {
            // "+seq" keeps the planner on the account's index; the full-text side, scoped to the
            // day, only answers membership.
            sql.append(" AND +seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)", .fullText)
        }
        if let cursor = query.cursor {
            sql.append(" AND (occurred_at < ? OR (occurred_at = ? AND seq < ?))",
                       [.integer(cursor.occurredAt.microseconds), .integer(cursor.occurredAt.microseconds),
                        .integer(Int64(cursor.seq))])
        }
    }
}

import LedgerCore

extension SQLiteLedger {
    /// The word-filter walk for a full-text query (`WordFilter`), or nil when the full-text
    /// index's plan answers it: a word outside ASCII, a name, actor or target filter (those read
    /// their own day-keyed indexes, which hold no filter), an account holding events stored
    /// before the filters (schema migration 8), or a walk budget of 0.
    ///
    /// The walk covers the newest stretch of the query's range that holds about
    /// `wordWalkEntries` of the account's events at the account's average rate, and the
    /// full-text index answers what is older: a word rare in a large account costs a bounded
    /// walk and a few index queries, not a walk of every entry.
    func wordWalk(_ query: SearchQuery, names: [String]?, _ connection: SQLiteConnection) throws -> WordWalk? {
        guard let text = query.text, names == nil, query.actor == nil, query.target == nil, wordWalkEntries > 0 else {
            return nil
        }
        let words = FullText.words(in: text).sorted()
        guard !words.isEmpty, let filter = WordFilter(words: words) else { return nil }
        let statement = try connection.statement("""
            SELECT first_seq, (SELECT max(account_seq) FROM events WHERE account = ?1),
                   (SELECT min(occurred_at) FROM events WHERE account = ?1),
                   (SELECT max(occurred_at) FROM events WHERE account = ?1)
            FROM accounts WHERE account = ?1
            """)
        try statement.bind(1, query.account)
        defer { statement.reset() }
        guard try statement.step(), statement.int64(0) >= wordFiltersFromSeq else { return nil }
        let events = statement.int64(1), oldest = statement.int64(2), newest = statement.int64(3)

        // The range's ends, clamped to the account's own events; a cursor ends it at its time.
        var upper = Double(newest) + 1
        if let to = query.to { upper = min(upper, Double(to.microseconds)) }
        if let cursor = query.cursor { upper = min(upper, Double(cursor.occurredAt.microseconds) + 1) }
        let lower = max(Double(oldest), Double(query.from?.microseconds ?? .min))
        let eventsPerMicrosecond = Double(events) / (Double(newest) - Double(oldest) + 1)
        let walkFrom = upper - Double(wordWalkEntries) / eventsPerMicrosecond
        return WordWalk(query: query, words: words, filter: filter,
                        from: walkFrom > lower ? Timestamp(microseconds: Int64(walkFrom.rounded(.up))) : nil)
    }
}

/// A full-text search that walks the account's account/time index entries newest first, in page
/// order, and reads only the rows whose word filter holds every bit of the query's words. Each
/// row read is checked for the words themselves: the filter only rules rows out.
///
/// Every other filter of the query (time range, cursor, outcome, place, network) is part of the
/// walk's SQL; the country and city are in the index too, so a rare place costs no row reads.
struct WordWalk {
    /// Rows the filter let through without the words, after which the walk hands over to the
    /// full-text index. Each costs a row read (about 7 µs at 10M events); a word whose bits other
    /// words happen to set in many events would otherwise read one for many of the walk's entries.
    /// 512 rather than 128: full-text p99 at 10M 5.4–5.7 ms against 6.6–6.8 (Benchmarks/PROFILES.md).
    static let rejectionLimit = 512

    let words: [String]
    /// Where the walk stops and the full-text index takes over: nil, the whole range is walked.
    let from: Timestamp?
    private let sql: DaySQL

    init(query: SearchQuery, words: [String], filter: WordFilter, from: Timestamp?) {
        self.words = words
        self.from = from
        var sql = DaySQL(fullText: nil)
        // INDEXED BY: the walk must read the filter columns from the account/time index, in order.
        sql.append("SELECT seq, occurred_at, canonical FROM events INDEXED BY events_account_time WHERE ")
        sql.append("account = ?", [.text(query.account)])
        for (lane, bits) in filter.columns.enumerated() where bits != 0 {
            sql.append(" AND (words_\(lane) & ?) = ?", [.integer(bits), .integer(bits)])
        }
        if let from {
            sql.append(" AND occurred_at >= ?", [.integer(from.microseconds)])
        }
        SearchSQL.appendFilters(query, words: [], to: &sql)
        sql.append(" ORDER BY occurred_at DESC, seq DESC")
        self.sql = sql
    }

    /// Reads matching events into `events` until it holds `pageSize` or the range ends, and then
    /// returns nil, or the cursor of `from` when the walk ended there. After `rejectionLimit` rows
    /// without the words it stops, and returns the cursor just past the last row it looked at.
    /// The rest, from the cursor on, is to be read another way.
    func read(into events: inout [StoredEvent], pageSize: Int, _ connection: SQLiteConnection) throws -> SearchCursor? {
        let statement = try connection.statement(sql.sql)
        defer { statement.reset() }
        try statement.bindAll(sql.values)
        var rejected = 0
        while events.count < pageSize, try statement.step() {
            let event = try SQLiteLedger.decode(statement.blob(2))
            if try holdsWords(event, connection) {
                events.append(event)
            } else {
                rejected += 1
                if rejected >= Self.rejectionLimit {
                    return SearchCursor(occurredAt: event.content.occurredAt, seq: event.seq)
                }
            }
        }
        // Seq 0: every event at `from` itself was walked, and the cursor keeps the older ones.
        guard events.count < pageSize, let from else { return nil }
        return SearchCursor(occurredAt: from, seq: 0)
    }

    /// Whether the event's document holds every word: checked here for ASCII documents, and by
    /// the full-text index, whose tokenizer folds the rest, for the others.
    private func holdsWords(_ event: StoredEvent, _ connection: SQLiteConnection) throws -> Bool {
        if let holds = WordMatch.document(FullText.document(for: event.content), holdsAll: words) { return holds }
        let statement = try connection.statement("SELECT 1 FROM events_fts WHERE events_fts MATCH ? AND rowid = ?")
        defer { statement.reset() }
        try statement.bind(1, words.map { "\"\($0)\"" }.joined(separator: " AND "))
        try statement.bind(2, Int64(event.seq))
        return try statement.step()
    }
}

import LedgerCore

/// The rows one sealed event adds to the ledger file: the event itself and everything derived
/// from it (targets, idempotency key, account, name list, full text, completed Merkle subtrees).
///
/// Runs inside the caller's write transaction. Shared by the group-commit writer and by
/// verbatim imports (`auditledger migrate`), so both derive the same rows from an event.
enum SQLiteEventRows {
    /// - Parameters:
    ///   - idempotencyDigest: the digest the event's client id is recorded with (ignored without one).
    ///   - recordName: whether to (re)insert the account's name-list row; callers skip names they know.
    ///   - frontier: the tree's right edge before this event; advanced past it.
    static func insert(_ stored: StoredEvent, canonical: [UInt8], idempotencyDigest: [UInt8]?, recordName: Bool,
                       frontier: inout MerkleFrontier, _ connection: SQLiteConnection) throws {
        let content = stored.content
        let seq = Int64(stored.seq)
        let words = FullText.document(for: content)
        let filter = WordFilter(document: words)

        let row = try connection.statement("""
            INSERT INTO events (seq, account, account_seq, client_id, name, actor_id, occurred_at, received_at,
                                outcome, ip, country_code, city, hash, canonical, words_0, words_1, words_2, words_3)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try row.bind(1, seq)
        try row.bind(2, content.account)
        try row.bind(3, Int64(stored.accountSeq))
        try row.bind(4, content.clientID)
        try row.bind(5, content.name)
        try row.bind(6, content.actor.id)
        try row.bind(7, content.occurredAt.microseconds)
        try row.bind(8, stored.receivedAt.microseconds)
        try row.bind(9, Int64(content.outcome.rawValue))
        try row.bind(10, content.ip?.bytes16)
        try row.bind(11, stored.geo.location?.countryCode)
        try row.bind(12, stored.geo.location?.city)
        try row.bind(13, stored.hash)
        try row.bind(14, canonical)
        for (offset, column) in filter.columns.enumerated() {
            try row.bind(Int32(15 + offset), column)
        }
        try row.run()

        if !content.targets.isEmpty {
            let target = try connection.statement(
                "INSERT OR IGNORE INTO event_targets (account, day, target_type, target_id, seq) VALUES (?, ?, ?, ?, ?)")
            for item in content.targets {
                try target.bind(1, content.account)
                try target.bind(2, DayWalk.day(of: content.occurredAt.microseconds))
                try target.bind(3, item.type)
                try target.bind(4, item.id)
                try target.bind(5, seq)
                try target.run()
            }
        }
        if let clientID = content.clientID, let idempotencyDigest {
            let key = try connection.statement(
                "INSERT INTO idempotency_keys (account, client_id, seq, content_digest) VALUES (?, ?, ?, ?)")
            try key.bind(1, content.account)
            try key.bind(2, clientID)
            try key.bind(3, seq)
            try key.bind(4, idempotencyDigest)
            try key.run()
        }
        if stored.accountSeq == 1 {
            let account = try connection.statement("INSERT INTO accounts (account, first_seq) VALUES (?, ?)")
            try account.bind(1, content.account)
            try account.bind(2, seq)
            try account.run()
        }
        if recordName {
            let name = try connection.statement("INSERT OR IGNORE INTO account_names (account, name) VALUES (?, ?)")
            try name.bind(1, content.account)
            try name.bind(2, content.name)
            try name.run()
        }
        try insertFullText(seq: seq, document: FullTextScope.document(words: words, of: content,
                                                                      countryCode: stored.geo.location?.countryCode),
                           connection)

        let merkleNode = try connection.statement("INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)")
        for node in try frontier.append(leafHash: stored.hash) {
            try merkleNode.bind(1, node.id.level)
            try merkleNode.bind(2, Int64(node.id.index))
            try merkleNode.bind(3, node.hash)
            try merkleNode.run()
        }
    }

    /// The event's full-text document: its words and scope tokens (`FullTextScope`). Also how
    /// schema migration 7 writes the documents of events stored before it.
    static func insertFullText(seq: Int64, document: String, _ connection: SQLiteConnection) throws {
        let text = try connection.statement("INSERT INTO events_fts (rowid, body) VALUES (?, ?)")
        try text.bind(1, seq)
        try text.bind(2, document)
        try text.run()
    }

    /// Merges full-text index segments, in the caller's write transaction, after it appended
    /// `events` events. FTS5's own automerge (off since schema migration 4) works in bursts: up to
    /// 64 leaf pages per index level once every 64 leaves written, 20–40 ms of CPU in one commit
    /// while every request queued behind it waited. A step in every transaction, sized to what it
    /// appended, does the same work evenly. At about 25 bytes of index per event (measured on a
    /// 1M-event ledger) a leaf holds ~160 events and is rewritten once per level, so `events / 8`
    /// pages a step stays well ahead of the segments appends create.
    static func mergeFullText(afterAppending events: Int, _ connection: SQLiteConnection) throws {
        guard events > 0 else { return }
        let merge = try connection.statement("INSERT INTO events_fts (events_fts, rank) VALUES ('merge', ?)")
        try merge.bind(1, Int64(8 + events / 8))
        try merge.run()
    }
}

/// The ledger's schema, as an ordered list of migrations.
///
/// A migration is never edited once it has shipped: a change is a new migration appended to
/// the list. Invariants live in the schema itself (NOT NULL, CHECK, UNIQUE, and triggers that
/// make every ledger table append-only), so no code path can break them.
enum SQLiteSchema {
    static let migrations: [String] = [
        // 1: events, their search indexes, side tables, Merkle nodes, append-only triggers.
        """
        CREATE TABLE events (
            seq          INTEGER PRIMARY KEY,
            account      TEXT    NOT NULL,
            account_seq  INTEGER NOT NULL CHECK (account_seq >= 1),
            client_id    TEXT,
            name         TEXT    NOT NULL,
            actor_id     TEXT    NOT NULL,
            occurred_at  INTEGER NOT NULL,
            received_at  INTEGER NOT NULL,
            outcome      INTEGER NOT NULL CHECK (outcome IN (0, 1)),
            ip           BLOB    CHECK (ip IS NULL OR length(ip) = 16),
            country_code TEXT,
            city         TEXT,
            hash         BLOB    NOT NULL CHECK (length(hash) = 32),
            canonical    BLOB    NOT NULL
        );
        CREATE UNIQUE INDEX events_account_chain ON events (account, account_seq);
        CREATE INDEX events_account_time ON events (account, occurred_at);
        CREATE INDEX events_account_name_time ON events (account, name, occurred_at);
        CREATE INDEX events_account_actor_time ON events (account, actor_id, occurred_at);

        CREATE TABLE event_targets (
            account     TEXT    NOT NULL,
            target_type TEXT    NOT NULL,
            target_id   TEXT    NOT NULL,
            seq         INTEGER NOT NULL,
            PRIMARY KEY (account, target_type, target_id, seq)
        ) WITHOUT ROWID;

        CREATE TABLE idempotency_keys (
            account        TEXT    NOT NULL,
            client_id      TEXT    NOT NULL,
            seq            INTEGER NOT NULL,
            content_digest BLOB    NOT NULL CHECK (length(content_digest) = 32),
            PRIMARY KEY (account, client_id)
        ) WITHOUT ROWID;

        CREATE TABLE accounts (
            account   TEXT PRIMARY KEY,
            first_seq INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE account_names (
            account TEXT NOT NULL,
            name    TEXT NOT NULL,
            PRIMARY KEY (account, name)
        ) WITHOUT ROWID;

        CREATE TABLE merkle_nodes (
            level INTEGER NOT NULL CHECK (level >= 1),
            idx   INTEGER NOT NULL CHECK (idx >= 0),
            hash  BLOB    NOT NULL CHECK (length(hash) = 32),
            PRIMARY KEY (level, idx)
        ) WITHOUT ROWID;

        -- Contentless and without positions: only "which events contain these words" is asked,
        -- and the canonical bytes already hold the text.
        CREATE VIRTUAL TABLE events_fts USING fts5(body, content = '', detail = none);

        CREATE TABLE ledger_meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        """
        + appendOnlyTriggers(for: ["events", "event_targets", "idempotency_keys", "accounts", "account_names", "merkle_nodes"]),

        // 2: signed checkpoints, and API tokens (stored hashed; revocation is a row of its own,
        // so that both tables stay append-only like the rest of the ledger).
        """
        CREATE TABLE checkpoints (
            tree_size   INTEGER PRIMARY KEY CHECK (tree_size >= 0),
            root_hash   BLOB    NOT NULL CHECK (length(root_hash) = 32),
            signed_note TEXT    NOT NULL,
            created_at  INTEGER NOT NULL
        );

        CREATE TABLE tokens (
            token_id    TEXT    PRIMARY KEY,
            secret_hash BLOB    NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
            account     TEXT    NOT NULL,
            scope       TEXT    NOT NULL CHECK (scope IN ('ingest', 'read', 'admin')),
            name        TEXT,
            created_at  INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE token_revocations (
            token_id   TEXT    PRIMARY KEY REFERENCES tokens (token_id),
            revoked_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """
        + appendOnlyTriggers(for: ["checkpoints", "tokens", "token_revocations"]),

        // 3: the name and actor indexes lead with the event's UTC day after the account, so that
        // appends land in the small, hot part of each index that holds the current day instead of
        // one random page per (account, name) or (account, actor) (PERFORMANCE-NOTES.md: random
        // index maintenance bounds ingest). Search reads them one day at a time, newest first.
        // The expression must match `SearchSQL.dayExpression` exactly for the planner to use them.
        """
        DROP INDEX events_account_name_time;
        DROP INDEX events_account_actor_time;
        CREATE INDEX events_account_day_name_time ON events (account, occurred_at / 86400000000, name, occurred_at);
        CREATE INDEX events_account_day_actor_time ON events (account, occurred_at / 86400000000, actor_id, occurred_at);
        """,

        // 4: full-text segments are merged a little in every write transaction that appends
        // (`SQLiteEventRows.mergeFullText`) instead of by FTS5's automerge, whose bursts made one
        // commit in a few dozen take 20–40 ms of CPU (Benchmarks/PROFILES.md, "The single-event
        // tail, found"). FTS5's crisis merge stays on as the bound on segments should merging ever fall behind.
        """
        INSERT INTO events_fts (events_fts, rank) VALUES ('automerge', 0);
        """,

        // 5: targets are keyed by the event's UTC day after the account, like the name and actor
        // indexes (migration 3). Keyed by (account, type, id) alone, each target row landed on a
        // random page of an index that grows with the ledger: a 10,000-event commit dirtied about
        // as many pages, and the append rate fell with the ledger's size (Benchmarks/PROFILES.md,
        // "Append rate against ledger size"). Search reads it one day at a time. The table is
        // derived from the events' canonical bytes, so it is rebuilt rather than kept.
        """
        CREATE TABLE event_targets_by_day (
            account     TEXT    NOT NULL,
            day         INTEGER NOT NULL,
            target_type TEXT    NOT NULL,
            target_id   TEXT    NOT NULL,
            seq         INTEGER NOT NULL,
            PRIMARY KEY (account, day, target_type, target_id, seq)
        ) WITHOUT ROWID;
        INSERT INTO event_targets_by_day (account, day, target_type, target_id, seq)
            SELECT t.account, e.occurred_at / 86400000000, t.target_type, t.target_id, t.seq
            FROM event_targets t JOIN events e ON e.seq = t.seq;
        DROP TABLE event_targets;
        ALTER TABLE event_targets_by_day RENAME TO event_targets;
        """
        + appendOnlyTriggers(for: ["event_targets"]),

        // 6: the account/time index carries the place columns after (occurred_at, seq), so that a
        // country or city filter is checked on index entries and only matching events are read
        // from the table. Before, a search for a rare country read every event of the account's
        // range from the table to test its country: p99 20 ms at 100k events, level with
        // PostgreSQL, against 1.4 ms with this index (Benchmarks/PROFILES.md). `seq` is spelt out
        // so that the index still orders by (occurred_at, seq), as the search's ORDER BY does.
        """
        DROP INDEX events_account_time;
        CREATE INDEX events_account_time ON events (account, occurred_at, seq, country_code, city);
        """,

        // 7: every full-text document carries its event's scope tokens (`FullTextScope`): one for
        // the account's day and one for the account's day in the event's country, so that search
        // asks the index for one day of one account instead of the whole ledger. The table is
        // contentless, so its documents are emptied here and written again by `rebuildFullText`.
        """
        INSERT INTO events_fts (events_fts) VALUES ('delete-all');
        """,

        // 8: the account/time index carries each event's word filter (`WordFilter`), so that a
        // full-text search of an account that is not large walks the account's index entries and
        // reads only the rows whose filter holds the query's words, instead of asking the
        // full-text index about each of the account's events. Adding the columns rewrites no row:
        // events stored before keep NULL, and `word_filters_from_seq` records where the filters
        // begin, so that accounts holding older events keep the full-text plan.
        """
        ALTER TABLE events ADD COLUMN words_0 INTEGER;
        ALTER TABLE events ADD COLUMN words_1 INTEGER;
        ALTER TABLE events ADD COLUMN words_2 INTEGER;
        ALTER TABLE events ADD COLUMN words_3 INTEGER;
        DROP INDEX events_account_time;
        CREATE INDEX events_account_time ON events (account, occurred_at, seq, country_code, city,
                                                    words_0, words_1, words_2, words_3);
        INSERT INTO ledger_meta (key, value) SELECT 'word_filters_from_seq', coalesce(max(seq), 0) + 1 FROM events;
        """,

        // 9: every located event's full-text document also carries its account's country token
        // (`FullTextScope.accountCountryToken`), so that a country rare in a large account is found
        // with one question instead of one token per day of the account (Benchmarks/PROFILES.md,
        // "Search by country: one token for the account's country"). Emptied here and written again by
        // `rebuildFullText`, as migration 7 did.
        """
        INSERT INTO events_fts (events_fts) VALUES ('delete-all');
        """,
    ]

    /// The part of a migration that needs Swift, run after its SQL in the same transaction.
    /// Migrations 7 and 9 both empty the full-text index; its documents are written once, by 9,
    /// since every migration runs up to the last and `FullTextScope.document` spells them as the
    /// last one wants.
    static func dataStep(forVersion version: Int, _ connection: SQLiteConnection) throws {
        if version == 9 { try rebuildFullText(connection) }
    }

    /// Writes every event's full-text document again, from its canonical bytes and stored country,
    /// then merges the index into one segment (a one-off; appends keep it merged after).
    static func rebuildFullText(_ connection: SQLiteConnection) throws {
        let rows = try connection.uncachedStatement("SELECT seq, country_code, canonical FROM events ORDER BY seq")
        while try rows.step() {
            try SQLiteEventRows.insertFullText(
                seq: rows.int64(0),
                document: FullTextScope.document(for: SQLiteLedger.decode(rows.blob(2)).content, countryCode: rows.text(1)),
                connection)
        }
        try connection.execute("INSERT INTO events_fts (events_fts) VALUES ('optimize')")
    }

    static func appendOnlyTriggers(for tables: [String]) -> String {
        tables.map { table in
            """

            CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
            BEGIN SELECT RAISE(ABORT, '\(table) is append-only: rows cannot be updated'); END;
            CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
            BEGIN SELECT RAISE(ABORT, '\(table) is append-only: rows cannot be deleted'); END;
            """
        }.joined()
    }

    /// Applies every migration the database has not seen, each in its own transaction.
    static func migrate(_ connection: SQLiteConnection) throws {
        try connection.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
        let applied = try connection.scalarInt("SELECT coalesce(max(version), 0) FROM schema_migrations") ?? 0
        guard applied <= Int64(migrations.count) else {
            throw SQLiteError(code: 0, message: "database schema version \(applied) is newer than this auditledger (\(migrations.count)); upgrade auditledger", sql: nil)
        }
        for (index, sql) in migrations.enumerated() where Int64(index + 1) > applied {
            try connection.transaction {
                try connection.execute(sql)
                try dataStep(forVersion: index + 1, connection)
                try connection.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (\(index + 1), unixepoch())")
            }
        }
    }
}

import Foundation
import Logging
import PostgresNIO

/// The ledger's PostgreSQL schema, as an ordered list of migrations: the same tables, columns
/// and constraints as the SQLite backend (bytea for hashes, canonical bytes and IPs; bigint
/// microseconds for times), with `COLLATE "C"` on text keys so that name ranges and ordering
/// are bytewise whatever the database's locale.
///
/// A migration is never edited once it has shipped. Every ledger table is append-only: triggers
/// refuse UPDATE, DELETE and TRUNCATE, so no code path (or operator with plain SQL) can rewrite
/// history without first dropping them, which `verify` reports.
enum PostgresSchema {
    /// Every table the triggers protect, also what `verify` checks for.
    static let appendOnlyTables = ["events", "event_targets", "idempotency_keys", "accounts", "account_names",
                                   "merkle_nodes", "ledger_meta", "checkpoints", "tokens", "token_revocations"]
    static let refusedOperations = ["update", "delete", "truncate"]

    static let migrations: [String] = [
        """
        CREATE TABLE events (
            seq          bigint   PRIMARY KEY,
            account      text     COLLATE "C" NOT NULL,
            account_seq  bigint   NOT NULL CHECK (account_seq >= 1),
            client_id    text     COLLATE "C",
            name         text     COLLATE "C" NOT NULL,
            actor_id     text     COLLATE "C" NOT NULL,
            occurred_at  bigint   NOT NULL,
            received_at  bigint   NOT NULL,
            outcome      smallint NOT NULL CHECK (outcome IN (0, 1)),
            ip           bytea    CHECK (ip IS NULL OR length(ip) = 16),
            country_code text     COLLATE "C",
            city         text,
            hash         bytea    NOT NULL CHECK (length(hash) = 32),
            canonical    bytea    NOT NULL,
            -- The words of FullText.document, normalised in Swift (PostgresFullText) and stored as
            -- lexemes verbatim, so matching is exactly "every query word appears".
            words        tsvector NOT NULL
        );
        CREATE UNIQUE INDEX events_account_chain ON events (account, account_seq);
        CREATE INDEX events_account_time ON events (account, occurred_at, seq);
        CREATE INDEX events_account_name_time ON events (account, name, occurred_at, seq);
        CREATE INDEX events_account_actor_time ON events (account, actor_id, occurred_at, seq);
        CREATE INDEX events_words ON events USING gin (words);

        CREATE TABLE event_targets (
            account     text   COLLATE "C" NOT NULL,
            target_type text   COLLATE "C" NOT NULL,
            target_id   text   COLLATE "C" NOT NULL,
            seq         bigint NOT NULL,
            PRIMARY KEY (account, target_type, target_id, seq)
        );

        CREATE TABLE idempotency_keys (
            account        text   COLLATE "C" NOT NULL,
            client_id      text   COLLATE "C" NOT NULL,
            seq            bigint NOT NULL,
            content_digest bytea  NOT NULL CHECK (length(content_digest) = 32),
            PRIMARY KEY (account, client_id)
        );

        CREATE TABLE accounts (
            account   text   COLLATE "C" PRIMARY KEY,
            first_seq bigint NOT NULL
        );

        CREATE TABLE account_names (
            account text COLLATE "C" NOT NULL,
            name    text COLLATE "C" NOT NULL,
            PRIMARY KEY (account, name)
        );

        CREATE TABLE merkle_nodes (
            level integer NOT NULL CHECK (level >= 1),
            idx   bigint  NOT NULL CHECK (idx >= 0),
            hash  bytea   NOT NULL CHECK (length(hash) = 32),
            PRIMARY KEY (level, idx)
        );

        CREATE TABLE ledger_meta (
            key   text COLLATE "C" PRIMARY KEY,
            value text NOT NULL
        );

        CREATE TABLE checkpoints (
            tree_size   bigint PRIMARY KEY CHECK (tree_size >= 0),
            root_hash   bytea  NOT NULL CHECK (length(root_hash) = 32),
            signed_note text   NOT NULL,
            created_at  bigint NOT NULL
        );

        CREATE TABLE tokens (
            token_id    text   COLLATE "C" PRIMARY KEY,
            secret_hash bytea  NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
            account     text   COLLATE "C" NOT NULL,
            scope       text   NOT NULL CHECK (scope IN ('ingest', 'read', 'admin')),
            name        text,
            created_at  bigint NOT NULL
        );

        CREATE TABLE token_revocations (
            token_id   text   COLLATE "C" PRIMARY KEY REFERENCES tokens (token_id),
            revoked_at bigint NOT NULL
        );

        CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only: rows cannot be %', TG_TABLE_NAME, lower(TG_OP) || 'd'
                USING ERRCODE = 'restrict_violation';
        END
        $$;
        """ + appendOnlyTriggers(for: appendOnlyTables),
    ]

    static func triggerName(_ table: String, _ operation: String) -> String { "\(table)_no_\(operation)" }

    static func appendOnlyTriggers(for tables: [String]) -> String {
        tables.map { table in
            refusedOperations.map { operation in
                let level = operation == "truncate" ? "STATEMENT" : "ROW"
                return "\nCREATE TRIGGER \(triggerName(table, operation)) BEFORE \(operation.uppercased()) ON \(table) "
                    + "FOR EACH \(level) EXECUTE FUNCTION ledger_refuse_change();"
            }.joined()
        }.joined()
    }

    /// Serialises migrations of nodes starting at the same time (a session-level advisory lock).
    static let migrationLockKey: Int64 = 0x4175_6469_744C_0001

    /// Applies every migration the database has not seen, each in its own transaction. Without
    /// `create`, a database that holds no ledger is refused instead.
    static func migrate(_ connection: PostgresConnection, create: Bool, target: String, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_lock(\(migrationLockKey))", logger: logger)
        do {
            try await applyMissing(connection, create: create, target: target, logger: logger)
            try await connection.query("SELECT pg_advisory_unlock(\(migrationLockKey))", logger: logger)
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(migrationLockKey))", logger: logger)
            throw error
        }
    }

    private static func applyMissing(_ connection: PostgresConnection, create: Bool, target: String, logger: Logger) async throws {
        let exists = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger)
            .collect().first?.decode(Bool.self) ?? false
        if !exists {
            guard create else { throw PostgresLedgerError.noLedger(target) }
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                logger: logger)
        }
        let applied = try await connection.query("SELECT coalesce(max(version), 0)::bigint FROM schema_migrations", logger: logger)
            .collect().first?.decode(Int64.self) ?? 0
        guard applied <= migrations.count else {
            throw PostgresLedgerError.schemaTooNew(found: Int(applied), supported: migrations.count)
        }
        if applied == 0 && !create { throw PostgresLedgerError.noLedger(target) }
        for (index, sql) in migrations.enumerated() where index + 1 > applied {
            try await connection.withTransaction(logger: logger) { connection in
                for statement in statements(in: sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO schema_migrations (version) VALUES (\(index + 1))", logger: logger)
            }
        }
    }

    /// The statements of a migration one by one: the extended query protocol postgres-nio speaks
    /// takes one statement per query. A statement ends with a line ending in `;` outside `$$` bodies.
    static func statements(in sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var insideBody = false
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            current += line + "\n"
            if line.components(separatedBy: "$$").count % 2 == 0 { insideBody.toggle() }
            if !insideBody, line.trimmingCharacters(in: .whitespaces).hasSuffix(";") {
                statements.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                current = ""
            }
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { statements.append(rest) }
        return statements
    }
}

import Foundation
import LedgerCore
import LedgerStore
import Logging
import PostgresNIO

/// The ledger in a PostgreSQL database, which any number of nodes (processes) may share.
///
/// Each instance group-commits its own appends (`PostgresGroupCommitWriter`); nodes take turns
/// through one advisory lock, so `seq`, every account's chain and the Merkle tree stay one
/// history. Reads go through a pooled `PostgresClient`.
///
/// `Sendable`: every stored property is immutable; the writer is an actor and the client is
/// itself safe to share.
public final class PostgresLedger: LedgerRepository {
    public struct Options: Sendable {
        /// A commit takes whole queued requests until it holds at least this many events.
        public var maxGroupEvents = 10_000
        /// Connections in the pool (readers, the writer's transactions, token and checkpoint writes).
        public var maxConnections = 16
        /// How long a call waits for a pooled connection before it gives up with
        /// `StoreUnavailableError` (the database is down, unreachable or out of connections).
        public var leaseTimeout: Duration = .seconds(5)
        /// Where the driver logs; silent by default (the ledger reports errors by throwing).
        public var logger = Logger(label: "auditledger.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

        public init() {}
    }

    /// The server and database, without any password.
    public let target: String
    let pool: PostgresPool
    let logger: Logger
    private let clientTask: Task<Void, Never>
    let writer: PostgresGroupCommitWriter

    private init(target: String, pool: PostgresPool, clientTask: Task<Void, Never>, options: Options,
                 clock: @escaping @Sendable () -> Timestamp) {
        self.target = target
        self.pool = pool
        self.clientTask = clientTask
        logger = options.logger
        writer = PostgresGroupCommitWriter(pool: pool, maxGroupEvents: options.maxGroupEvents, clock: clock, logger: options.logger)
    }

    /// Opens (and with `create`, creates or migrates) the ledger in the database at `url`:
    /// `postgres://user:password@host:port/database`, `postgresql://…`, or a Unix socket as
    /// `postgres:///database?host=/socket/dir&user=name` (see `PostgresURL`).
    ///
    /// - Throws: ``PostgresLedgerError`` for a bad URL, an unreachable server, or (without
    ///   `create`) a database that holds no ledger.
    public static func open(url: String, create: Bool = true, options: Options = .init(),
                            clock: @escaping @Sendable () -> Timestamp = Timestamp.systemNow) async throws -> PostgresLedger {
        let parsed = try PostgresURL(url)
        var configuration = parsed.configuration
        configuration.options.maximumConnections = max(2, options.maxConnections)
        // Connect once directly first: the pool retries unreachable servers quietly, an operator
        // should get the reason at once. The same connection runs the migrations.
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: parsed.connectionConfiguration, id: 0, logger: options.logger)
        } catch {
            throw PostgresLedgerError.unreachable(parsed.displayName, reason: "\(PostgresErrors.readable(error))")
        }
        do {
            try await PostgresErrors.readable {
                try await PostgresSchema.migrate(connection, create: create, target: parsed.displayName, logger: options.logger)
            }
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: options.logger)
        let task = Task { await client.run() }
        return PostgresLedger(target: parsed.displayName, pool: PostgresPool(client: client, leaseTimeout: options.leaseTimeout), clientTask: task, options: options, clock: clock)
    }

    public func append(_ events: [NewEvent]) async throws -> [AppendReceipt] {
        try await writer.append(events)
    }

    /// Commits what is queued, then shuts the connection pool down.
    public func close() async {
        await writer.shutdown()
        clientTask.cancel()
        await clientTask.value
    }

    public func event(account: String, seq: UInt64) async throws -> StoredEvent? {
        guard seq >= 1, seq <= UInt64(Int64.max) else { return nil }
        return try await readEvent("SELECT canonical FROM events WHERE seq = \(Int64(seq)) AND account = \(account)")
    }

    public func event(account: String, clientID: String) async throws -> StoredEvent? {
        try await readEvent("""
            SELECT e.canonical FROM idempotency_keys k JOIN events e ON e.seq = k.seq
            WHERE k.account = \(account) AND k.client_id = \(clientID)
            """)
    }

    private func readEvent(_ query: PostgresQuery) async throws -> StoredEvent? {
        try await PostgresErrors.completing {
            try await self.pool.scalar(query, as: ByteBuffer.self, logger: self.logger).map(Self.decode)
        }
    }

    public func status() async throws -> LedgerStatus {
        try await PostgresErrors.completing { [pool, logger] in
            // One snapshot, so the counts and the tree head agree.
            try await pool.withConnection { connection in
                try await Self.inReadSnapshot(connection, logger: logger) {
                    let row = try await connection.rows("""
                        SELECT (SELECT count(*) FROM accounts), pg_database_size(current_database()),
                               (SELECT received_at FROM events ORDER BY seq DESC LIMIT 1)
                        """, as: (Int64, Int64, Int64?).self, logger: logger).first
                    let tree = try await Self.treeHead(on: connection, logger: logger)
                    return LedgerStatus(events: tree.size, accounts: Int(row?.0 ?? 0), databaseBytes: row?.1 ?? 0,
                                        lastReceivedAt: row?.2.map(Timestamp.init(microseconds:)), tree: tree)
                }
            }
        }
    }

    /// Runs `body` in a read-only REPEATABLE READ transaction: one snapshot for all its queries.
    static func inReadSnapshot<T>(_ connection: PostgresConnection, logger: Logger,
                                  isolation: isolated (any Actor)? = #isolation,
                                  _ body: () async throws -> T) async throws -> T {
        try await connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
        do {
            let result = try await body()
            try await connection.execute("COMMIT", logger: logger)
            return result
        } catch {
            try? await connection.execute("ROLLBACK", logger: logger)
            throw error
        }
    }

    static func decode(_ canonical: ByteBuffer) throws -> StoredEvent {
        try CanonicalEncoding.decode(canonical.byteArray)
    }
}

import Foundation
import LedgerCore

/// The ledger in one SQLite file: WAL mode, one group-committing writer, many readers.
///
/// `Sendable`: the writer confines its connection to its own thread, readers borrow pooled
/// connections one thread at a time, and nothing else here is mutable.
public final class SQLiteLedger: LedgerRepository {
    public struct Options: Sendable {
        /// A commit takes whole queued requests until it holds at least this many events:
        /// large commits share the index pages they dirty (PERFORMANCE-NOTES.md).
        public var maxGroupEvents = 10_000
        /// Writer page cache, in KiB. A 10,000-event commit dirties up to ~50 MiB of index pages
        /// and a cache far smaller spills them to the WAL before the commit (24 MiB cost a sixth
        /// of B1's rate at 1M); 48 MiB kept B1's rate at 1M and 10M within noise of 64 MiB and
        /// brings the server under 200 MB (Benchmarks/PROFILES.md, "Server memory under load").
        public var writerCacheKiB = 49_152
        /// Events committed between background WAL checkpoints.
        public var checkpointEveryEvents = 20_000
        /// WAL size, in bytes, past which the writer lets the WAL start over from its beginning
        /// (WALCheckpointer). The WAL file is trimmed back only when it outgrew twice this.
        public var walRestartBytes = 256 << 20
        /// SQLite's `max_page_count` on the writer: past it a commit fails as on a full disk.
        /// For tests of that failure; nil leaves SQLite's limit.
        var maxPageCount: Int? = nil
        /// Accounts with at most this many events are searched by country through the
        /// account/time index alone, which holds the country; larger ones through the full-text
        /// index's scope tokens (`FullTextScope`). Reading all of a small account's index entries
        /// costs less than asking the full-text index about each of its days
        /// (Benchmarks/PROFILES.md, "Search scoped by day in the full-text index").
        public var countryScanLimit: Int64 = 16_384
        /// About how many of an account's index entries a full-text search walks, newest first,
        /// reading only the rows whose word filter holds the query's words (`WordWalk`), before
        /// the full-text index's scope tokens answer the older rest. The walk costs about 0.12 µs
        /// an entry; the index, with a common word, several µs for each of the account's events,
        /// and with a rare word a few queries in all (Benchmarks/PROFILES.md, "Full-text search
        /// through word filters"). 0: the full-text index answers every full-text search.
        public var wordWalkEntries: Int64 = 32_768

        public init() {}
    }

    public let path: String
    let readers: ConnectionPool
    let countryScanLimit: Int64
    let wordWalkEntries: Int64
    /// The first seq stored with a word filter (schema migration 8): accounts with older events
    /// are searched for words through the full-text index alone.
    let wordFiltersFromSeq: Int64
    private let writer: GroupCommitWriter
    private let checkpointer: WALCheckpointer

    /// Opens (and with `create`, creates and migrates) the ledger at `path`.
    public init(path: String, create: Bool = true, options: Options = Options(),
                clock: @escaping @Sendable () -> Timestamp = Timestamp.systemNow) throws {
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw LedgerOpenError.missing(path)
        }
        self.path = path
        countryScanLimit = options.countryScanLimit
        wordWalkEntries = options.wordWalkEntries
        let connection = try SQLiteConnection(path: path)
        // synchronous=FULL: a commit is on disk before the writer acknowledges it.
        // wal_autocheckpoint=0: checkpoints run on their own thread, off the commit path.
        // journal_size_limit: SQLite trims the WAL file in the first commit after each restart.
        // Under steady ingest the WAL reaches a little past the restart bound every few seconds;
        // trimming that tail each time cost the committing writer an `ftruncate` of 6–25 ms
        // (`perf trace`, Benchmarks/PROFILES.md), so only a WAL that outgrew twice the bound is trimmed.
        try connection.execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA wal_autocheckpoint = 0;
            PRAGMA journal_size_limit = \(2 * options.walRestartBytes);
            PRAGMA cache_size = -\(options.writerCacheKiB);
            PRAGMA temp_store = MEMORY;
            """)
        if let maxPageCount = options.maxPageCount {
            _ = try connection.scalarInt("PRAGMA max_page_count = \(maxPageCount)")
        }
        guard try connection.scalarText("PRAGMA journal_mode")?.lowercased() == "wal" else {
            throw LedgerOpenError.notWAL(path)
        }
        try SQLiteSchema.migrate(connection)
        wordFiltersFromSeq = try connection.scalarInt(
            "SELECT CAST(value AS INTEGER) FROM ledger_meta WHERE key = 'word_filters_from_seq'") ?? 1
        readers = ConnectionPool(path: path)
        let pageSize = Int(try connection.scalarInt("PRAGMA page_size") ?? 4096)
        let checkpointer = try WALCheckpointer(path: path, everyEvents: options.checkpointEveryEvents,
                                               restartFrames: options.walRestartBytes / max(512, pageSize))
        self.checkpointer = checkpointer
        writer = try GroupCommitWriter(connection: connection, maxGroupEvents: options.maxGroupEvents,
                                       clock: clock, afterCommit: { checkpointer.noteCommitted($0, walFrames: $1) })
    }

    public func append(_ events: [NewEvent]) async throws -> [AppendReceipt] {
        try await writer.append(events)
    }

    public func close() async {
        await writer.shutdown()
        checkpointer.checkpointNow()
        readers.closeAll()
    }

    public func event(account: String, seq: UInt64) async throws -> StoredEvent? {
        guard seq >= 1, seq <= UInt64(Int64.max) else { return nil }
        return try await readers.withConnection { connection in
            let statement = try connection.statement("SELECT canonical FROM events WHERE seq = ? AND account = ?")
            try statement.bind(1, Int64(seq))
            try statement.bind(2, account)
            defer { statement.reset() }
            return try statement.step() ? try Self.decode(statement.blob(0)) : nil
        }
    }

    public func event(account: String, clientID: String) async throws -> StoredEvent? {
        try await readers.withConnection { connection in
            let statement = try connection.statement("""
                SELECT e.canonical FROM idempotency_keys k JOIN events e ON e.seq = k.seq
                WHERE k.account = ? AND k.client_id = ?
                """)
            try statement.bind(1, account)
            try statement.bind(2, clientID)
            defer { statement.reset() }
            return try statement.step() ? try Self.decode(statement.blob(0)) : nil
        }
    }

    public func status() async throws -> LedgerStatus {
        try await readers.withConnection { connection in
            try connection.transaction("DEFERRED") {
                let events = try connection.scalarInt("SELECT coalesce(max(seq), 0) FROM events") ?? 0
                let accounts = try connection.scalarInt("SELECT count(*) FROM accounts") ?? 0
                let pages = try connection.scalarInt("PRAGMA page_count") ?? 0
                let pageSize = try connection.scalarInt("PRAGMA page_size") ?? 0
                let lastReceived = try connection.scalarInt("SELECT received_at FROM events ORDER BY seq DESC LIMIT 1")
                return LedgerStatus(events: UInt64(events), accounts: Int(accounts), databaseBytes: pages * pageSize,
                                    lastReceivedAt: lastReceived.map(Timestamp.init(microseconds:)),
                                    tree: try Self.treeHead(connection))
            }
        }
    }

    /// The `PRAGMA synchronous` level the writer runs with (2 = FULL); tests pin it.
    var writerSynchronousLevel: Int64 { writer.synchronousLevel }

    static func decode(_ canonical: [UInt8]?) throws -> StoredEvent {
        guard let canonical else { throw SQLiteError(code: 0, message: "event row without canonical bytes", sql: nil) }
        return try CanonicalEncoding.decode(canonical)
    }
}

public enum LedgerOpenError: Error, CustomStringConvertible {
    case missing(String)
    case notWAL(String)

    public var description: String {
        switch self {
        case .missing(let path): "no ledger at \(path) (create one with `auditledger init`)"
        case .notWAL(let path): "cannot put \(path) in WAL mode (is it on a network file system?)"
        }
    }
}

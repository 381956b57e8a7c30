import CSQLite
import CSQLiteWALBuffer
import LedgerCore

/// An error reported by SQLite, with the statement that failed.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public let sql: String?

    public var description: String {
        sql.map { "SQLite error \(code): \(message) (in: \($0))" } ?? "SQLite error \(code): \(message)"
    }

    /// SQLITE_CONSTRAINT and its extended codes: the schema refused the write.
    public var isConstraintViolation: Bool { code & 0xff == SQLITE_CONSTRAINT }

    /// A full disk, an I/O error or no memory: the machine's condition, not the data's, and the
    /// same call may succeed once the operator frees space or the disk recovers.
    var isResourceFailure: Bool { [SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM].contains(code & 0xff) }

    /// `error` as callers should see it: resource failures become ``StoreUnavailableError`` (503
    /// with Retry-After, like a PostgreSQL outage) rather than an unexplained 500. The failed
    /// transaction was rolled back, so nothing of it was stored or acknowledged.
    static func surfacing(_ error: any Error) -> any Error {
        guard let error = error as? SQLiteError, error.isResourceFailure else { return error }
        return StoreUnavailableError("SQLite: \(error.message)")
    }
}

/// One SQLite connection with a cache of prepared statements.
///
/// Not `Sendable`: a connection belongs to one thread at a time. The writer owns one on its
/// own thread; readers borrow one from `ConnectionPool` for the length of an operation.
final class SQLiteConnection {
    private let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]
    let path: String

    init(path: String, readOnly: Bool = false) throws {
        var handle: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let status = sqlite3_open_v2(path, &handle, flags, Self.vfsName)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(handle)
            throw SQLiteError(code: status, message: "\(message): \(path)", sql: nil)
        }
        self.handle = handle
        self.path = path
        sqlite3_extended_result_codes(handle, 1)
        // Readers and the checkpointer may briefly contend with the writer; wait instead of failing.
        sqlite3_busy_timeout(handle, 10_000)
    }

    /// The VFS every ledger connection opens with: the default one, with each commit's WAL frames
    /// written in a few large writes instead of two per frame (`wal_buffer.c`). Should it fail to register,
    /// connections use the default VFS itself, which is only slower.
    private static let vfsName: String? =
        auditledger_wal_buffer_register() == SQLITE_OK ? AUDITLEDGER_WAL_BUFFER_VFS : nil

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows (schema, pragmas, BEGIN/COMMIT).
    func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if status != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw SQLiteError(code: status, message: message, sql: sql)
        }
    }

    /// A prepared statement for `sql`, compiled once per connection and reset for each use.
    func statement(_ sql: String) throws -> SQLiteStatement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var raw: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard status == SQLITE_OK, let raw else { throw error(status, sql: sql) }
        let statement = SQLiteStatement(raw, connection: self, sql: sql)
        statements[sql] = statement
        return statement
    }

    /// A statement compiled for a single use (dynamic search SQL that would only pollute the cache).
    func uncachedStatement(_ sql: String) throws -> SQLiteStatement {
        var raw: OpaquePointer?
        let status = sqlite3_prepare_v2(handle, sql, -1, &raw, nil)
        guard status == SQLITE_OK, let raw else { throw error(status, sql: sql) }
        return SQLiteStatement(raw, connection: self, sql: sql)
    }

    /// The first column of the first row, for PRAGMAs and small lookups.
    func scalarInt(_ sql: String) throws -> Int64? {
        let statement = try self.statement(sql)
        defer { statement.reset() }
        return try statement.step() && !statement.isNull(0) ? statement.int64(0) : nil
    }

    func scalarText(_ sql: String) throws -> String? {
        let statement = try self.statement(sql)
        defer { statement.reset() }
        return try statement.step() ? statement.text(0) : nil
    }

    func error(_ status: Int32, sql: String?) -> SQLiteError {
        SQLiteError(code: status, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Frames in the WAL after this connection's last commit, kept by `trackWALFrames()`.
    private(set) var walFrames = 0

    /// Installs SQLite's WAL hook so that `walFrames` follows each commit. The hook replaces
    /// automatic checkpoints on this connection (the ledger runs them itself, `WALCheckpointer`).
    func trackWALFrames() {
        sqlite3_wal_hook(handle, { context, _, _, frames in
            if let context { Unmanaged<SQLiteConnection>.fromOpaque(context).takeUnretainedValue().walFrames = Int(frames) }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// For tests: the writes SQLite made to this connection's WAL file and the writes that reached
    /// the file, or nil if the WAL is not open or not buffered.
    var walWriteCounts: (requested: Int64, toFile: Int64)? {
        var file: UnsafeMutablePointer<sqlite3_file>?
        guard sqlite3_file_control(handle, "main", SQLITE_FCNTL_JOURNAL_POINTER, &file) == SQLITE_OK else { return nil }
        var requested: Int64 = 0
        var toFile: Int64 = 0
        guard auditledger_wal_buffer_counts(file, &requested, &toFile) == 1 else { return nil }
        return (requested, toFile)
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    func transaction<T>(_ mode: String = "IMMEDIATE", _ body: () throws -> T) throws -> T {
        try execute("BEGIN \(mode)")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Copies this database into `destination` with SQLite's online backup API, page by page, so
    /// that the writer is only ever blocked for one step at a time.
    func backup(to destination: SQLiteConnection, pagesPerStep: Int32 = 1024) throws {
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw destination.error(sqlite3_errcode(destination.handle), sql: "backup")
        }
        var status: Int32
        repeat {
            status = sqlite3_backup_step(backup, pagesPerStep)
            if status == SQLITE_BUSY || status == SQLITE_LOCKED { sqlite3_sleep(5) }
        } while status == SQLITE_OK || status == SQLITE_BUSY || status == SQLITE_LOCKED
        let finish = sqlite3_backup_finish(backup)
        guard status == SQLITE_DONE, finish == SQLITE_OK else {
            throw destination.error(status == SQLITE_DONE ? finish : status, sql: "backup")
        }
    }

    fileprivate var rawHandle: OpaquePointer { handle }
}

/// A prepared statement. Values are bound by 1-based index, columns read by 0-based index.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private unowned let connection: SQLiteConnection
    let sql: String

    fileprivate init(_ handle: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Advances to the next row: true if there is one, false when done.
    @discardableResult
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let status:
            let error = connection.error(status, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Steps a statement that returns no rows, then resets it for the next use.
    func run() throws {
        defer { sqlite3_reset(handle) }
        _ = try step()
    }

    private func check(_ status: Int32) throws {
        guard status == SQLITE_OK else { throw connection.error(status, sql: sql) }
    }

    func bind(_ index: Int32, _ value: Int64) throws { try check(sqlite3_bind_int64(handle, index, value)) }
    func bind(_ index: Int32, _ value: Int) throws { try bind(index, Int64(value)) }
    func bind(_ index: Int32, _ value: Double) throws { try check(sqlite3_bind_double(handle, index, value)) }
    func bindNull(_ index: Int32) throws { try check(sqlite3_bind_null(handle, index)) }

    func bind(_ index: Int32, _ value: String?) throws {
        guard let value else { return try bindNull(index) }
        try check(sqlite3_bind_text(handle, index, value, -1, SQLITE_TRANSIENT))
    }

    func bind(_ index: Int32, _ value: [UInt8]?) throws {
        guard let value else { return try bindNull(index) }
        try value.withUnsafeBytes { buffer in
            try check(sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), SQLITE_TRANSIENT))
        }
    }

    func bind(_ index: Int32, _ hash: MerkleHash) throws {
        try hash.withUnsafeBytes { buffer in
            try check(sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), SQLITE_TRANSIENT))
        }
    }

    /// Binds an array of values in order starting at index 1 (dynamic search SQL).
    func bindAll(_ values: [SQLiteValue]) throws {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .integer(let number): try bind(index, number)
            case .text(let text): try bind(index, text)
            case .blob(let bytes): try bind(index, bytes)
            }
        }
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        return String(cString: pointer)
    }

    /// A 32-byte hash column; nil when NULL or not 32 bytes.
    func hash(_ column: Int32) -> MerkleHash? {
        guard let pointer = sqlite3_column_blob(handle, column), sqlite3_column_bytes(handle, column) == 32 else { return nil }
        return MerkleHash(bytes: UnsafeRawBufferPointer(start: pointer, count: 32))
    }

    func blob(_ column: Int32) -> [UInt8]? {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let pointer = sqlite3_column_blob(handle, column) else { return isNull(column) ? nil : [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

/// A value bound into dynamically built SQL.
enum SQLiteValue: Hashable {
    case integer(Int64)
    case text(String)
    case blob([UInt8])
}

/// SQLite's "copy this buffer now" destructor marker, which the C macro spells as a cast of -1.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

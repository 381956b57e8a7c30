import Foundation

/// Read-only connections shared by readers, each used by one thread at a time.
///
/// `@unchecked Sendable`: the idle list is guarded by a mutex, and a connection handed out by
/// `withConnection` is used only by the thread running that call. SQLite calls block, so they
/// run on Dispatch threads rather than the Swift concurrency pool, which must not block.
final class ConnectionPool: @unchecked Sendable {
    private let path: String
    private let lock = NSLock()
    private var idle: [SQLiteConnection] = []
    private let maxIdle: Int
    private let queue = DispatchQueue(label: "auditledger.sqlite.readers", attributes: .concurrent)

    init(path: String, maxIdle: Int = 8) {
        self.path = path
        self.maxIdle = maxIdle
    }

    /// Runs `body` with a connection on a reader thread.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.withConnectionBlocking(body) })
            }
        }
    }

    /// The same, on the calling thread (for code already off the concurrency pool).
    func withConnectionBlocking<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        do {
            let connection = try checkOut()
            defer { checkIn(connection) }
            return try body(connection)
        } catch {
            throw SQLiteError.surfacing(error)
        }
    }

    func checkOut() throws -> SQLiteConnection {
        if let connection = lock.withLock({ idle.popLast() }) { return connection }
        let connection = try SQLiteConnection(path: path, readOnly: true)
        try connection.execute("PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;")
        return connection
    }

    /// A connection outside the pool for one long sequential read (an export), closed when its
    /// holder lets it go. Such a read uses each page once, so a 2 MiB cache serves it as well as
    /// the pool's 16 MiB, and the process's memory stays the same from an export's first rows to
    /// its millionth (BENCHMARKS.md, B4) instead of growing until a pooled cache is full.
    func openStreamingConnection() throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: path, readOnly: true)
        try connection.execute("PRAGMA cache_size = -2048;")
        return connection
    }

    func checkIn(_ connection: SQLiteConnection) {
        if connection.isInTransaction { try? connection.execute("ROLLBACK") }
        lock.withLock {
            if idle.count < maxIdle { idle.append(connection) }
        }
    }

    /// Runs blocking work on a reader thread (used by export cursors that keep their own connection,
    /// and by the side writer for tokens, checkpoints and copies).
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }.mapError(SQLiteError.surfacing)) }
        }
    }

    func closeAll() {
        lock.withLock { idle.removeAll() }
    }
}

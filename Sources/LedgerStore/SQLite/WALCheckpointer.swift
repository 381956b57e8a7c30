import Foundation

/// Copies committed pages from the WAL back into the database file on its own thread.
///
/// With SQLite's automatic checkpoint the committing thread does this work (and its fsyncs)
/// right after a commit, and large commits overflow the default threshold every time
/// (PERFORMANCE-NOTES.md). Here the writer only counts; a PASSIVE checkpoint never blocks it.
///
/// `@unchecked Sendable`: the counter is guarded by `lock`; the connection is used only on `queue`.
final class WALCheckpointer: @unchecked Sendable {
    private let connection: SQLiteConnection
    private let queue = DispatchQueue(label: "auditledger.sqlite.checkpoint")
    private let lock = NSLock()
    private var sinceLast = 0
    private var scheduled = false
    private let everyEvents: Int

    init(path: String, everyEvents: Int) throws {
        connection = try SQLiteConnection(path: path)
        self.everyEvents = everyEvents
    }

    func noteCommitted(_ events: Int) {
        let due: Bool = lock.withLock {
            sinceLast += events
            guard sinceLast >= everyEvents, !scheduled else { return false }
            sinceLast = 0
            scheduled = true
            return true
        }
        if due {
            queue.async { [self] in
                try? connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
                lock.withLock { scheduled = false }
            }
        }
    }

    /// A full checkpoint that also empties the WAL, at shutdown.
    func checkpointNow() {
        queue.sync { _ = try? connection.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
    }
}

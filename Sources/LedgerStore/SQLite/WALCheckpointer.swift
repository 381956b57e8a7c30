import Foundation

/// Keeps the WAL small under sustained ingest: copies committed pages back into the database on
/// its own thread, and lets the WAL start over from its beginning whenever it passes a size bound.
///
/// With SQLite's automatic checkpoint the committing thread does this work (and its fsyncs) right
/// after a commit, and large commits overflow the default threshold every time
/// (PERFORMANCE-NOTES.md). So the writer only reports each commit here, and a PASSIVE checkpoint on
/// our thread copies the WAL back while the writer prepares its next commit.
///
/// A PASSIVE checkpoint alone never lets the WAL restart while the writer keeps committing: it
/// copies the frames that existed when it began, the writer appends more meanwhile, and SQLite
/// reuses the WAL from its start only when a write transaction begins with every frame copied
/// back. The WAL then grows without bound (10.7 GB by 700k events), and every page the writer or
/// a reader looks up searches a wal-index that grows with it, so the append rate fell fourfold
/// over the first million events. Hence the bound: once the WAL holds more than
/// `restartFrames`, the writer, between two commits, waits for the background pass and runs one
/// more that copies the last commit's frames; with the WAL fully copied back, its next
/// transaction rewrites the WAL from the start (and `journal_size_limit` trims the file). The
/// background passes have done most of the copying by then, so the writer waits for little more
/// than one commit's pages. A reader holding an old snapshot (a long export or verify) keeps those
/// frames from being copied; the writer then carries on and tries again one bound later.
///
/// `@unchecked Sendable`: the counters are guarded by `lock` or touched only on the writer thread
/// (`writer*`); the connection is used only on `queue`.
final class WALCheckpointer: @unchecked Sendable {
    private let connection: SQLiteConnection
    private let queue = DispatchQueue(label: "auditledger.sqlite.checkpoint")
    private let lock = NSLock()
    private var sinceLast = 0
    private var scheduled = false
    private let everyEvents: Int
    private let restartFrames: Int
    /// Writer thread only: the WAL size at the last commit, and the size at which to next try to
    /// bring the WAL back to its start.
    private var writerLastFrames = 0
    private var writerNextRestartAt: Int

    /// Restarts the writer forced: for tests and benchmarks.
    private(set) var restarts = 0

    init(path: String, everyEvents: Int, restartFrames: Int) throws {
        connection = try SQLiteConnection(path: path)
        self.everyEvents = everyEvents
        self.restartFrames = max(1, restartFrames)
        writerNextRestartAt = self.restartFrames
    }

    /// Called on the writer thread after each commit, with the events it stored and the number
    /// of frames now in the WAL (from SQLite's WAL hook).
    func noteCommitted(_ events: Int, walFrames: Int) {
        if walFrames < writerLastFrames { writerNextRestartAt = restartFrames }  // the WAL started over
        writerLastFrames = walFrames
        if walFrames >= writerNextRestartAt {
            let (log, copied) = queue.sync { passive() }
            lock.withLock { sinceLast = 0 }
            restarts += 1
            // Readers still on older snapshots kept some frames from being copied back: try again later.
            writerNextRestartAt = copied >= log ? restartFrames : walFrames + restartFrames
            return
        }
        let due: Bool = lock.withLock {
            sinceLast += events
            guard sinceLast >= everyEvents, !scheduled else { return false }
            sinceLast = 0
            scheduled = true
            return true
        }
        if due {
            queue.async { [self] in
                _ = passive()
                lock.withLock { scheduled = false }
            }
        }
    }

    /// One PASSIVE checkpoint: (frames in the WAL, frames copied back), or (1, 0) if it failed.
    private func passive() -> (Int64, Int64) {
        do {
            let statement = try connection.statement("PRAGMA wal_checkpoint(PASSIVE)")
            defer { statement.reset() }
            guard try statement.step() else { return (1, 0) }
            return (statement.int64(1), statement.int64(2))
        } catch {
            return (1, 0)
        }
    }

    /// A full checkpoint that also empties the WAL, at shutdown.
    func checkpointNow() {
        queue.sync { _ = try? connection.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
    }
}

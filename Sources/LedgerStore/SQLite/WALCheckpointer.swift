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
/// `restartFrames`, passes run back to back, and as soon as one has finished and left no more
/// than about one commit's frames uncopied, the writer, between two commits, runs one more that
/// copies those; with the WAL fully copied back, its next transaction rewrites the WAL from the
/// start (and `journal_size_limit` trims a file that outgrew twice the bound). The writer so waits for one small pass, never
/// behind a long one: waiting for whatever pass was running made every request that queued
/// meanwhile wait too, which set single-event POSTs' p99 (BENCHMARKS.md, B2). Should the passes
/// fall behind a writer that outpaces them, the writer waits for them at twice the bound, so the
/// WAL stays bounded either way. A reader holding an old snapshot (a long export or verify) keeps
/// those frames from being copied; the writer then carries on and tries again one bound later.
///
/// SQLite syncs the database file only after a pass that copied every frame in the WAL, which
/// under steady appends only the writer's small last pass does. Pages copied by background passes
/// would then sit dirty in the page cache until that pass, whose fsync had to write them all while
/// every request waited: 40–110 ms per restart, growing with the ledger (Benchmarks/PROFILES.md,
/// "The single-event tail, found"). So each background pass is followed, on this thread, by a flush of the database
/// file, and the writer's fsync finds only its own few pages left.
///
/// `@unchecked Sendable`: the counters are guarded by `lock` or touched only on the writer thread
/// (`writer*`); the connection is used only on `queue`.
final class WALCheckpointer: @unchecked Sendable {
    private let connection: SQLiteConnection
    /// The database file, opened for `fdatasync` after background passes; -1 if it could not be.
    private let databaseFile: Int32
    private let queue = DispatchQueue(label: "auditledger.sqlite.checkpoint")
    private let lock = NSLock()
    private var sinceLast = 0
    /// A background pass is queued or running.
    private var scheduled = false
    /// Frames of the current WAL that the last background pass copied back.
    private var copiedFrames = 0
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
        databaseFile = open(path, O_RDONLY | O_CLOEXEC)
        self.everyEvents = everyEvents
        self.restartFrames = max(1, restartFrames)
        writerNextRestartAt = self.restartFrames
    }

    deinit {
        if databaseFile >= 0 { close(databaseFile) }
    }

    /// Called on the writer thread after each commit, with the events it stored and the number
    /// of frames now in the WAL (from SQLite's WAL hook).
    func noteCommitted(_ events: Int, walFrames: Int) {
        let restarted = walFrames < writerLastFrames
        let commitFrames = restarted ? walFrames : walFrames - writerLastFrames
        if restarted { writerNextRestartAt = restartFrames }
        writerLastFrames = walFrames
        let (passRunning, uncopied) = lock.withLock {
            if restarted { copiedFrames = 0 }
            sinceLast += events
            return (scheduled, walFrames - copiedFrames)
        }
        if walFrames >= writerNextRestartAt {
            let caughtUp = !passRunning && uncopied <= max(commitFrames, restartFrames / 64)
            if caughtUp || walFrames >= writerNextRestartAt + restartFrames {
                let (log, copied) = queue.sync { passive() }
                lock.withLock { sinceLast = 0 }
                restarts += 1
                // Readers still on older snapshots kept some frames from being copied back: try again later.
                writerNextRestartAt = copied >= log ? restartFrames : walFrames + restartFrames
            } else {
                scheduleBackgroundPass(always: true)
            }
            return
        }
        scheduleBackgroundPass(always: false)
    }

    /// Queues a PASSIVE pass unless one is already queued: every `everyEvents`, or with `always`
    /// (past the bound) after every commit.
    private func scheduleBackgroundPass(always: Bool) {
        let due: Bool = lock.withLock {
            guard always || sinceLast >= everyEvents, !scheduled else { return false }
            sinceLast = 0
            scheduled = true
            return true
        }
        guard due else { return }
        queue.async { [self] in
            let copiedBefore = lock.withLock { copiedFrames }
            let (_, copied) = passive()
            // Durability never rests on this flush (SQLite syncs before the WAL can restart); it
            // moves that sync's work here, off the writer's path. Past the bound passes run after
            // every commit, and one that found nothing new to copy has nothing to flush.
            if copied > 0 && Int(copied) != copiedBefore && databaseFile >= 0 { _ = fdatasync(databaseFile) }
            lock.withLock {
                copiedFrames = Int(copied)
                scheduled = false
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

import Foundation
import LedgerCore

extension SQLiteLedger {
    /// Copies the ledger to `destination` while appends continue, then proves the copy good.
    ///
    /// The copy is one SQLite online backup step over a read snapshot: in WAL mode that never
    /// blocks the writer, and unlike a paged backup it cannot be restarted forever by a steady
    /// stream of commits. It is written under `destination.partial`, fsynced, and renamed into
    /// place. Then the copy must pass `PRAGMA integrity_check`, a full `verify`, and its tree
    /// must be a prefix of the live tree (an RFC 9162 consistency proof from the live ledger).
    public func backup(to destination: String, progress: (@Sendable (UInt64) -> Void)? = nil) async throws -> BackupReport {
        guard !FileManager.default.fileExists(atPath: destination) else { throw BackupError.destinationExists(destination) }
        let partial = destination + ".partial"
        Self.removeDatabaseFiles(partial)
        do {
            try await readers.withConnection { source in
                let copy = try SQLiteConnection(path: partial)
                try source.backup(to: copy, pagesPerStep: -1)
                // Leave a single self-contained file: fold any WAL into it before closing.
                try copy.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            }
            try Self.syncToDisk(partial)
            try FileManager.default.moveItem(atPath: partial, toPath: destination)
            let directory = (destination as NSString).deletingLastPathComponent
            try Self.syncToDisk(directory.isEmpty ? "." : directory)
        } catch {
            Self.removeDatabaseFiles(partial)
            throw error
        }
        var report = try await Self.check(copyAt: destination, progress: progress)
        let live = try await treeHead()
        let proof = try await consistencyProof(from: report.treeHead.size, to: live.size)
        guard MerkleVerifier.verifyConsistency(firstSize: report.treeHead.size, secondSize: live.size,
                                               firstRoot: report.treeHead.rootHash, secondRoot: live.rootHash, proof: proof) else {
            throw BackupError.inconsistentWithLive(copySize: report.treeHead.size, liveSize: live.size)
        }
        report.liveTreeSize = live.size
        return report
    }

    /// Verifies the backup at `source`, then copies it over `destination` with the backup API
    /// (so an existing ledger in WAL mode is replaced transactionally, stale WAL included), and
    /// verifies the result. Refuses to replace a ledger that holds events unless `force`.
    /// The service must not be running on `destination`.
    public static func restore(from source: String, to destination: String, force: Bool,
                               progress: (@Sendable (UInt64) -> Void)? = nil) async throws -> BackupReport {
        guard FileManager.default.fileExists(atPath: source) else { throw LedgerOpenError.missing(source) }
        _ = try await check(copyAt: source, progress: progress)
        if FileManager.default.fileExists(atPath: destination), !force {
            let existing = try SQLiteLedger(path: destination, create: false)
            let events = try await existing.status().events
            await existing.close()
            if events > 0 { throw BackupError.destinationNotEmpty(destination, events: events) }
        }
        do {
            let from = try SQLiteConnection(path: source, readOnly: true)
            let into = try SQLiteConnection(path: destination)
            try from.backup(to: into, pagesPerStep: -1)
            try into.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        try syncToDisk(destination)
        return try await check(copyAt: destination, progress: progress)
    }

    /// Opens the copy as a ledger and checks it: SQLite's own integrity check, then `verify`.
    static func check(copyAt path: String, progress: (@Sendable (UInt64) -> Void)?) async throws -> BackupReport {
        let copy = try SQLiteLedger(path: path, create: false)
        do {
            let integrity = try await copy.readers.withConnection { try $0.scalarText("PRAGMA integrity_check") } ?? "no result"
            guard integrity == "ok" else { throw BackupError.integrityCheckFailed(path, integrity) }
            let verification = try await copy.verify(progress: progress)
            if let failure = verification.firstFailure { throw BackupError.verificationFailed(path, failure) }
            let head = try await copy.treeHead()
            await copy.close()
            let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? nil
            return BackupReport(path: path, bytes: bytes ?? 0, treeHead: head, liveTreeSize: nil, verification: verification)
        } catch {
            await copy.close()
            throw error
        }
    }

    /// Flushes a file (or a directory, so a rename in it is durable) to stable storage.
    static func syncToDisk(_ path: String) throws {
        if let reason = fsyncPath(path) {
            throw SQLiteError(code: 0, message: "cannot sync \(path) to disk: \(reason)", sql: nil)
        }
    }

    private static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

/// `fsync` of the file or directory at `path`; the error text, or nil on success. (A free
/// function: inside `SQLiteLedger`, `close` would name the ledger's own method.)
private func fsyncPath(_ path: String) -> String? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return String(cString: strerror(errno)) }
    defer { close(descriptor) }
    return fsync(descriptor) == 0 ? nil : String(cString: strerror(errno))
}

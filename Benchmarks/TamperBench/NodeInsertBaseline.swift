import CSQLite
import Foundation
import LedgerCore

/// The storage half of maintaining the tree, in isolation: inserting the completed perfect
/// subtrees into a `merkle_nodes` table of the ledger's schema, in commits of `eventsPerCommit`
/// events' worth, WAL mode.
///
/// The writer cannot run without its tree (and its file is not ours to add a switch to), so
/// "append without the tree" is measured as the full append minus this and the frontier's
/// hashing, both timed here over the very same leaves. `synchronous=NORMAL` here because the
/// commit's fsync is shared with the events in the real append and must not be billed twice.
enum NodeInsertBaseline {
    static func seconds(inserting nodesPerCommit: [[MerkleNode]], at path: String) -> Double {
        var db: OpaquePointer?
        guard sqlite3_open(path, &db) == SQLITE_OK, let db else { fatalError("cannot open \(path)") }
        defer { sqlite3_close(db) }
        func exec(_ sql: String) {
            guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { fatalError(String(cString: sqlite3_errmsg(db))) }
        }
        exec("""
            PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;
            CREATE TABLE merkle_nodes (level INTEGER NOT NULL CHECK (level >= 1), idx INTEGER NOT NULL CHECK (idx >= 0),
                hash BLOB NOT NULL CHECK (length(hash) = 32), PRIMARY KEY (level, idx)) WITHOUT ROWID;
            """)
        var statement: OpaquePointer?
        sqlite3_prepare_v2(db, "INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)", -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        let started = ContinuousClock.now
        for nodes in nodesPerCommit {
            exec("BEGIN IMMEDIATE")
            for node in nodes {
                sqlite3_bind_int64(statement, 1, Int64(node.id.level))
                sqlite3_bind_int64(statement, 2, Int64(node.id.index))
                node.hash.withUnsafeBytes { _ = sqlite3_bind_blob(statement, 3, $0.baseAddress, 32, nil) }
                guard sqlite3_step(statement) == SQLITE_DONE else { fatalError(String(cString: sqlite3_errmsg(db))) }
                sqlite3_reset(statement)
            }
            exec("COMMIT")
        }
        return (ContinuousClock.now - started).seconds
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

import LedgerCore

/// The Merkle tree's perfect subtrees as stored: level 0 is each event's hash (leaf `seq - 1`),
/// higher levels are rows of `merkle_nodes`, written once when the subtree became complete.
struct SQLiteMerkleNodes: MerkleNodeReader {
    let connection: SQLiteConnection

    func perfectNode(level: Int, index: UInt64) throws -> MerkleHash {
        let statement = level == 0
            ? try connection.statement("SELECT hash FROM events WHERE seq = ?")
            : try connection.statement("SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?")
        if level == 0 {
            try statement.bind(1, Int64(index + 1))
        } else {
            try statement.bind(1, level)
            try statement.bind(2, Int64(index))
        }
        defer { statement.reset() }
        guard try statement.step(), let hash = statement.hash(0) else {
            throw MerkleError.missingNode(MerkleNodeID(level: level, index: index))
        }
        return hash
    }
}

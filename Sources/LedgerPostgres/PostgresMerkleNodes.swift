import LedgerCore
import Logging
import PostgresNIO

/// The Merkle tree's perfect subtrees as stored: level 0 is each event's hash (leaf `seq - 1`),
/// higher levels are rows of `merkle_nodes`. Reads are batched (one query per level kind) and
/// the computation runs on the fetched set (`MerkleNodeBatch`), since the driver is async.
enum PostgresMerkleNodes {
    /// The hashes of `ids`; missing nodes are absent from the result.
    static func fetch(_ ids: some Collection<MerkleNodeID>, on database: some PostgresQueryable,
                      logger: Logger) async throws -> [MerkleNodeID: MerkleHash] {
        var hashes: [MerkleNodeID: MerkleHash] = [:]
        let leaves = ids.filter { $0.level == 0 }.map { Int64($0.index) + 1 }
        if !leaves.isEmpty {
            let query: PostgresQuery = "SELECT seq, hash FROM events WHERE seq = ANY(\(leaves))"
            for (seq, hash) in try await database.rows(query, as: (Int64, ByteBuffer).self, logger: logger) {
                hashes[MerkleNodeID(level: 0, index: UInt64(seq - 1))] = MerkleHash(bytes: hash.readableBytesView)
            }
        }
        let inner = ids.filter { $0.level > 0 }
        if !inner.isEmpty {
            let levels = inner.map { Int32($0.level) }, indexes = inner.map { Int64($0.index) }
            let query: PostgresQuery = """
                SELECT m.level, m.idx, m.hash FROM unnest(\(levels)::integer[], \(indexes)::bigint[]) AS n(level, idx)
                JOIN merkle_nodes m ON m.level = n.level AND m.idx = n.idx
                """
            for (level, index, hash) in try await database.rows(query, as: (Int32, Int64, ByteBuffer).self, logger: logger) {
                hashes[MerkleNodeID(level: Int(level), index: UInt64(index))] = MerkleHash(bytes: hash.readableBytesView)
            }
        }
        return hashes
    }

    /// The stored nodes at levels ≥ 1 that leaves `first...last` complete (what verify compares).
    static func completed(byLeaves first: UInt64, _ last: UInt64, on database: some PostgresQueryable,
                          logger: Logger) async throws -> [MerkleNodeID: MerkleHash] {
        var levels: [Int32] = [], lows: [Int64] = [], highs: [Int64] = []
        var level: UInt64 = 1
        // Node (level, idx) is completed by leaf (idx + 1) * 2^level - 1.
        while level < 64, (UInt64(1) << level) <= last + 1 {
            let width = UInt64(1) << level
            let low = (first + 1 + width - 1) / width, high = (last + 1) / width
            if low <= high {
                levels.append(Int32(level))
                lows.append(Int64(low - 1))
                highs.append(Int64(high - 1))
            }
            level += 1
        }
        if levels.isEmpty { return [:] }
        let query: PostgresQuery = """
            SELECT m.level, m.idx, m.hash FROM unnest(\(levels)::integer[], \(lows)::bigint[], \(highs)::bigint[]) AS r(level, low, high)
            JOIN merkle_nodes m ON m.level = r.level AND m.idx BETWEEN r.low AND r.high
            """
        var hashes: [MerkleNodeID: MerkleHash] = [:]
        for (level, index, hash) in try await database.rows(query, as: (Int32, Int64, ByteBuffer).self, logger: logger) {
            hashes[MerkleNodeID(level: Int(level), index: UInt64(index))] = MerkleHash(bytes: hash.readableBytesView)
        }
        return hashes
    }

    /// The current tree size: the largest stored `seq`.
    static func treeSize(on database: some PostgresQueryable, logger: Logger) async throws -> UInt64 {
        UInt64(try await database.scalar("SELECT coalesce(max(seq), 0)::bigint FROM events", as: Int64.self, logger: logger) ?? 0)
    }
}

/// A Merkle tree that keeps every perfect subtree in memory: the reference implementation
/// of the storage contract (append through a ``MerkleFrontier``, keep every leaf and every
/// completed node, serve proofs through ``MerkleNodeReader``), and the double that tests and
/// offline tools use in place of the database.
public struct MerkleMemoryTree: MerkleNodeReader, Sendable {
    /// The right edge, as storage would keep it in memory.
    public private(set) var frontier = MerkleFrontier()
    private var nodes: [MerkleNodeID: MerkleHash] = [:]

    public init() {}

    /// Builds the tree of the given leaf hashes, in order.
    public init(leafHashes: some Sequence<MerkleHash>) throws {
        for leafHash in leafHashes { try append(leafHash: leafHash) }
    }

    /// Number of leaves.
    public var size: UInt64 { frontier.size }

    /// Appends a leaf and stores it with the nodes it completes, as storage does.
    public mutating func append(leafHash: MerkleHash) throws {
        let leafIndex = frontier.size
        let completed = try frontier.append(leafHash: leafHash)
        nodes[MerkleNodeID(level: 0, index: leafIndex)] = leafHash
        for node in completed { nodes[node.id] = node.hash }
    }

    /// - Throws: ``MerkleError/missingNode(_:)`` for a node that is not complete yet.
    public func perfectNode(level: Int, index: UInt64) throws -> MerkleHash {
        let id = MerkleNodeID(level: level, index: index)
        guard let hash = nodes[id] else { throw MerkleError.missingNode(id) }
        return hash
    }
}

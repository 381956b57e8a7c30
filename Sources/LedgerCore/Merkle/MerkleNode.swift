/// The address of a perfect subtree: the node at `level` (0 = leaf) whose leaves are
/// `index << level ..< (index + 1) << level`.
///
/// Only perfect subtrees have addresses: their hashes never change once the last of their
/// leaves is appended, so storage can write each of them exactly once.
public struct MerkleNodeID: Hashable, Sendable, CustomStringConvertible {
    /// Height above the leaves: 0 for a leaf hash, 1 for the parent of two leaves, ...
    public let level: Int
    /// Position among the nodes of the same level, from the left, starting at 0.
    public let index: UInt64

    /// The node at `level` and `index`; levels range over 0...63.
    public init(level: Int, index: UInt64) {
        self.level = level
        self.index = index
    }

    /// The first leaf covered by this node.
    public var firstLeaf: UInt64 { index << UInt64(level) }

    /// How many leaves this node covers.
    public var leafCount: UInt64 { 1 << UInt64(level) }

    public var description: String { "(\(level), \(index))" }
}

/// A perfect subtree's address together with its hash, as storage persists it.
public struct MerkleNode: Hashable, Sendable {
    /// Where the node is in the tree.
    public let id: MerkleNodeID
    /// `MTH` of the leaves it covers.
    public let hash: MerkleHash

    /// A node from its address and hash.
    public init(id: MerkleNodeID, hash: MerkleHash) {
        self.id = id
        self.hash = hash
    }

    /// A node from its level, index and hash.
    public init(level: Int, index: UInt64, hash: MerkleHash) {
        self.init(id: MerkleNodeID(level: level, index: index), hash: hash)
    }
}

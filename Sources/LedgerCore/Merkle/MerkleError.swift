/// Why a Merkle root or proof cannot be computed for the requested sizes.
public enum MerkleError: Error, Hashable, Sendable {
    /// The leaf index is not below the tree size.
    case leafIndexOutOfRange(leafIndex: UInt64, treeSize: UInt64)
    /// A consistency proof was asked from a larger tree to a smaller one.
    case sizesOutOfOrder(first: UInt64, second: UInt64)
    /// A stored right edge does not have one hash per set bit of the tree size.
    case rightEdgeCountMismatch(treeSize: UInt64, expected: Int, actual: Int)
    /// The tree cannot grow past `UInt64.max` leaves.
    case treeFull
    /// A node reader does not hold this node (it is not complete yet, or was not fetched).
    case missingNode(MerkleNodeID)
}

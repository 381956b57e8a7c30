/// Read access to the stored perfect subtrees of a Merkle tree, which is all that roots and
/// proofs need (see ``MerkleNodeReader/inclusionProof(leafIndex:treeSize:)``).
///
/// Storage implements this over its node table: level 0 is the leaf hash of entry `index`
/// (the event with `seq == index + 1`), levels ≥ 1 are the nodes returned by
/// ``MerkleFrontier/append(leafHash:)``. Every computation below reads O(log n) nodes, and
/// only nodes of the requested tree size, so a reader over a growing tree serves proofs for
/// any past size it has stored.
public protocol MerkleNodeReader {
    /// The hash of the perfect subtree at `(level, index)`.
    ///
    /// Throws when the node is not stored (for example, it is not yet complete); the error is
    /// passed through to the caller of the proof function.
    func perfectNode(level: Int, index: UInt64) throws -> MerkleHash
}

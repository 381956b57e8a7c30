/// Verification of inclusion and consistency proofs exactly as RFC 9162 §2.1.3.2 and
/// §2.1.4.2 describe them, for clients, `verify` and `verify-export`.
///
/// Verification needs no stored nodes, only the proof and trusted roots; it returns `false`
/// for every malformed input rather than throwing, because to an auditor a proof that cannot
/// be checked is simply not a proof.
public enum MerkleVerifier {
    /// Whether `proof` shows that `leafHash` is leaf `leafIndex` of the tree of `treeSize`
    /// leaves whose root is `root` (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(
        leafHash: MerkleHash, leafIndex: UInt64, treeSize: UInt64, proof: [MerkleHash], root: MerkleHash
    ) -> Bool {
        guard leafIndex < treeSize else { return false }
        var fn = leafIndex
        var sn = treeSize - 1
        var hash = leafHash
        for sibling in proof {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                hash = MerkleHash.node(sibling, hash)
                // A left child that is last on its level has no sibling: it moves up
                // unchanged until it becomes a right child or reaches the top.
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                hash = MerkleHash.node(hash, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && hash == root
    }

    /// Whether `proof` shows that the tree of `firstSize` leaves with root `firstRoot` is a
    /// prefix of the tree of `secondSize` leaves with root `secondRoot` (RFC 9162 §2.1.4.2).
    ///
    /// The cases the RFC leaves to the caller: equal sizes need an empty proof and equal roots;
    /// a first size of 0 needs an empty proof and the empty-tree root, since the empty tree is
    /// a prefix of every tree; a first size above the second is never consistent.
    public static func verifyConsistency(
        firstSize: UInt64, secondSize: UInt64, firstRoot: MerkleHash, secondRoot: MerkleHash, proof: [MerkleHash]
    ) -> Bool {
        guard firstSize <= secondSize else { return false }
        if firstSize == secondSize { return proof.isEmpty && firstRoot == secondRoot }
        if firstSize == 0 { return proof.isEmpty && firstRoot == .emptyTree }
        guard !proof.isEmpty else { return false }

        // When the old tree is a perfect subtree, the proof leaves out its root: the verifier
        // already has it.
        var path = proof[...]
        let seed: MerkleHash
        if firstSize.nonzeroBitCount == 1 {
            seed = firstRoot
        } else {
            seed = path.removeFirst()
        }
        var fn = firstSize - 1
        var sn = secondSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var firstHash = seed
        var secondHash = seed
        for node in path {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                firstHash = MerkleHash.node(node, firstHash)
                secondHash = MerkleHash.node(node, secondHash)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                secondHash = MerkleHash.node(secondHash, node)
            }
            fn >>= 1
            sn >>= 1
        }
        return firstHash == firstRoot && secondHash == secondRoot && sn == 0
    }
}

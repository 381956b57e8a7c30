extension MerkleNodeReader {
    /// The root hash of the tree's first `treeSize` leaves (RFC 9162 §2.1.1).
    ///
    /// Reads one node per set bit of `treeSize`.
    public func root(treeSize: UInt64) throws -> MerkleHash {
        try subtreeHash(from: 0, to: treeSize)
    }

    /// The inclusion proof of leaf `leafIndex` in the tree of `treeSize` leaves, as RFC 9162
    /// §2.1.3.1 `PATH(m, D[n])`: sibling hashes from the leaf up to the root.
    ///
    /// - Throws: ``MerkleError/leafIndexOutOfRange(leafIndex:treeSize:)`` unless
    ///   `leafIndex < treeSize`, and any error of the reader.
    public func inclusionProof(leafIndex: UInt64, treeSize: UInt64) throws -> [MerkleHash] {
        guard leafIndex < treeSize else {
            throw MerkleError.leafIndexOutOfRange(leafIndex: leafIndex, treeSize: treeSize)
        }
        // Walk down RFC 9162's split from the root, collecting the sibling of the half that
        // holds the leaf; the proof lists them bottom-up.
        var siblings: [MerkleHash] = []
        var start: UInt64 = 0
        var end = treeSize
        while end - start > 1 {
            let split = start + largestPowerOfTwo(below: end - start)
            if leafIndex < split {
                siblings.append(try subtreeHash(from: split, to: end))
                end = split
            } else {
                siblings.append(try subtreeHash(from: start, to: split))
                start = split
            }
        }
        return siblings.reversed()
    }

    /// The consistency proof between the trees of `firstSize` and `secondSize` leaves, as
    /// RFC 9162 §2.1.4.1 `PROOF(m, D[n])`. Empty when `firstSize` is 0 or equals `secondSize`.
    ///
    /// - Throws: ``MerkleError/sizesOutOfOrder(first:second:)`` when `firstSize > secondSize`,
    ///   and any error of the reader.
    public func consistencyProof(from firstSize: UInt64, to secondSize: UInt64) throws -> [MerkleHash] {
        guard firstSize <= secondSize else {
            throw MerkleError.sizesOutOfOrder(first: firstSize, second: secondSize)
        }
        guard firstSize > 0, firstSize < secondSize else { return [] }
        // SUBPROOF(m, D[start..<end], isWholeOldTree), unrolled: descend towards the subtree
        // that ends exactly at the old size, collecting siblings.
        var siblings: [MerkleHash] = []
        var start: UInt64 = 0
        var end = secondSize
        var isWholeOldTree = true
        while firstSize != end {
            let split = start + largestPowerOfTwo(below: end - start)
            if firstSize <= split {
                siblings.append(try subtreeHash(from: split, to: end))
                end = split
            } else {
                siblings.append(try subtreeHash(from: start, to: split))
                start = split
                isWholeOldTree = false
            }
        }
        // The verifier already knows the old root, so the subtree that is the whole old tree
        // is left out; any smaller one is what links old root and new root.
        var proof: [MerkleHash] = isWholeOldTree ? [] : [try subtreeHash(from: start, to: end)]
        proof.append(contentsOf: siblings.reversed())
        return proof
    }

    /// `MTH(D[start..<end])` for a subtree of RFC 9162's split: one read when it is perfect,
    /// otherwise its ragged right edge combined from its perfect parts.
    private func subtreeHash(from start: UInt64, to end: UInt64) throws -> MerkleHash {
        let parts = try MerkleFrontier.perfectSubtrees(from: start, to: end).map {
            try perfectNode(level: $0.level, index: $0.index)
        }
        return MerkleFrontier.foldRightEdge(parts[...])
    }
}

/// The largest power of two strictly below `n` (`k` in RFC 9162's split, `k < n <= 2k`);
/// `n` must be at least 2.
func largestPowerOfTwo(below n: UInt64) -> UInt64 {
    1 << UInt64(UInt64.bitWidth - 1 - (n - 1).leadingZeroBitCount)
}

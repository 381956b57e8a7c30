/// The incremental state of an RFC 9162 Merkle tree: its size and the roots of the perfect
/// subtrees along its right edge (a "compact range" of `0..<size`).
///
/// A tree of size n is the concatenation of one perfect subtree per set bit of n, largest on
/// the left. Those roots are all that is needed to append the next leaf and to compute the
/// root hash, so ingest keeps this small value (at most 64 hashes) in memory and never reads
/// the rest of the tree.
///
/// Storage contract:
/// - Persist every leaf hash as node `(0, leafIndex)` and every node returned by
///   ``append(leafHash:)`` (levels ≥ 1); together they are every perfect subtree of the tree.
/// - To restore after a restart, load the hashes of ``rightEdge(treeSize:)`` and call
///   ``init(size:rightEdge:)``.
public struct MerkleFrontier: Hashable, Sendable {
    /// Number of leaves appended so far.
    public private(set) var size: UInt64

    /// Roots of the perfect subtrees making up the tree, left to right (largest first);
    /// their addresses are ``rightEdge(treeSize:)`` of ``size``.
    public private(set) var rightEdge: [MerkleHash]

    /// The empty tree.
    public init() {
        size = 0
        rightEdge = []
    }

    /// Restores a frontier from stored nodes.
    ///
    /// - Parameter rightEdge: the hashes of the nodes `MerkleFrontier.rightEdge(treeSize: size)`,
    ///   in that order.
    /// - Throws: ``MerkleError/rightEdgeCountMismatch(treeSize:expected:actual:)`` when the
    ///   count is not the number of set bits of `size`.
    public init(size: UInt64, rightEdge: [MerkleHash]) throws {
        guard rightEdge.count == size.nonzeroBitCount else {
            throw MerkleError.rightEdgeCountMismatch(treeSize: size, expected: size.nonzeroBitCount, actual: rightEdge.count)
        }
        self.size = size
        self.rightEdge = rightEdge
    }

    /// The addresses of the perfect subtrees that make up a tree of `treeSize` leaves, left to
    /// right: one per set bit of `treeSize`, from the highest bit down. Storage loads these to
    /// restore a frontier, and proofs use them to hash a tree's ragged right edge.
    public static func rightEdge(treeSize: UInt64) -> [MerkleNodeID] {
        perfectSubtrees(from: 0, to: treeSize)
    }

    /// Appends one leaf and returns the perfect subtrees (level ≥ 1) that this leaf completes,
    /// lowest first, so storage can persist them in the same transaction as the leaf.
    ///
    /// The leaf itself is node `(0, size)` as it was before this call; it is not in the result,
    /// because storage already keeps it as the entry's hash.
    /// - Throws: ``MerkleError/treeFull`` when the tree already has `UInt64.max` leaves.
    @discardableResult
    public mutating func append(leafHash: MerkleHash) throws -> [MerkleNode] {
        guard size < UInt64.max else { throw MerkleError.treeFull }
        var completed: [MerkleNode] = []
        var hash = leafHash
        var level = 0
        // Each trailing 1 bit of the old size is a perfect subtree of the same height as the
        // one being carried, immediately to its left: merge them, like a binary increment.
        while size >> UInt64(level) & 1 == 1, let left = rightEdge.popLast() {
            hash = MerkleHash.node(left, hash)
            level += 1
            completed.append(MerkleNode(level: level, index: size >> UInt64(level), hash: hash))
        }
        rightEdge.append(hash)
        size += 1
        return completed
    }

    /// The root hash of the tree: the right-edge subtrees folded from the right, as RFC 9162's
    /// recursive definition splits off the largest power of two first. The empty tree's root
    /// is ``MerkleHash/emptyTree``.
    public func rootHash() -> MerkleHash {
        Self.foldRightEdge(rightEdge[...])
    }

    /// Hashes the perfect subtrees of a ragged range, left to right, into the range's root.
    static func foldRightEdge(_ hashes: ArraySlice<MerkleHash>) -> MerkleHash {
        guard var root = hashes.last else { return .emptyTree }
        for left in hashes.dropLast().reversed() {
            root = MerkleHash.node(left, root)
        }
        return root
    }

    /// The perfect subtrees covering `start..<end`, left to right, largest first.
    ///
    /// Requires `start` to be a multiple of the largest power of two not above `end - start`,
    /// which holds for every subtree of RFC 9162's recursive split; then each part is aligned.
    static func perfectSubtrees(from start: UInt64, to end: UInt64) -> [MerkleNodeID] {
        var parts: [MerkleNodeID] = []
        var position = start
        var remaining = end - start
        while remaining > 0 {
            let level = UInt64.bitWidth - 1 - remaining.leadingZeroBitCount
            parts.append(MerkleNodeID(level: level, index: position >> UInt64(level)))
            position += 1 << UInt64(level)
            remaining -= 1 << UInt64(level)
        }
        return parts
    }
}

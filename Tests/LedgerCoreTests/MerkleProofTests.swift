import LedgerCore
import Testing

/// Every proof built from stored perfect nodes verifies against the specification's recursive
/// root, costs O(log n) reads, and stops verifying when anything about it is changed.
@Suite struct MerkleProofTests {
    static let smallLeaves = testLeafHashes(count: 64)
    static let smallTree = buildTree(smallLeaves)
    /// Roots of every prefix, from the recursive definition, not from the code under test.
    static let smallRoots = (0...64).map { MerkleTree.root(leafHashes: Array(smallLeaves.prefix($0))) }

    static let largeLeaves = testLeafHashes(count: 4097)
    static let largeTree = buildTree(largeLeaves)

    static func buildTree(_ leaves: [MerkleHash]) -> MerkleMemoryTree {
        do { return try MerkleMemoryTree(leafHashes: leaves) } catch { preconditionFailure("\(error)") }
    }

    /// Reads a proof may cost: about two per level (one path, one ragged right edge).
    static func readBudget(_ treeSize: UInt64) -> Int {
        2 * (UInt64.bitWidth - treeSize.leadingZeroBitCount) + 1
    }

    @Test(arguments: 1...64)
    func everyInclusionProofUpToSize64(treeSize: Int) throws {
        let root = Self.smallRoots[treeSize]
        #expect(try Self.smallTree.root(treeSize: UInt64(treeSize)) == root)
        for leafIndex in 0..<treeSize {
            try checkInclusion(
                tree: Self.smallTree, leafHash: Self.smallLeaves[leafIndex],
                leafIndex: UInt64(leafIndex), treeSize: UInt64(treeSize), root: root)
        }
    }

    @Test(arguments: 1...64)
    func everyConsistencyProofUpToSize64(secondSize: Int) throws {
        for firstSize in 0...secondSize {
            try checkConsistency(
                tree: Self.smallTree, firstSize: UInt64(firstSize), secondSize: UInt64(secondSize),
                firstRoot: Self.smallRoots[firstSize], secondRoot: Self.smallRoots[secondSize])
        }
    }

    @Test(arguments: [1000, 1023, 1024, 1025, 4096, 4097])
    func largeTrees(treeSize: Int) throws {
        let root = MerkleTree.root(leafHashes: Array(Self.largeLeaves.prefix(treeSize)))
        #expect(try Self.largeTree.root(treeSize: UInt64(treeSize)) == root)
        for leafIndex in Set([0, 1, 2, 511, 512, 777, 999, treeSize / 2, treeSize - 2, treeSize - 1]) {
            try checkInclusion(
                tree: Self.largeTree, leafHash: Self.largeLeaves[leafIndex],
                leafIndex: UInt64(leafIndex), treeSize: UInt64(treeSize), root: root)
        }
        for firstSize in Set([1, 2, 3, 7, 8, 500, 512, 999, 1000, 1023, 1024, treeSize - 1, treeSize]) where firstSize <= treeSize {
            let firstRoot = MerkleTree.root(leafHashes: Array(Self.largeLeaves.prefix(firstSize)))
            try checkConsistency(
                tree: Self.largeTree, firstSize: UInt64(firstSize), secondSize: UInt64(treeSize),
                firstRoot: firstRoot, secondRoot: root)
        }
    }

    private func checkInclusion(
        tree: MerkleMemoryTree, leafHash: MerkleHash, leafIndex: UInt64, treeSize: UInt64, root: MerkleHash
    ) throws {
        let reader = CountingNodeReader(tree)
        let proof = try reader.inclusionProof(leafIndex: leafIndex, treeSize: treeSize)
        #expect(reader.reads <= Self.readBudget(treeSize), "\(reader.reads) reads for leaf \(leafIndex) of \(treeSize)")
        func verifies(
            leafHash: MerkleHash = leafHash, leafIndex: UInt64 = leafIndex, treeSize: UInt64 = treeSize,
            proof: [MerkleHash] = proof, root: MerkleHash = root
        ) -> Bool {
            MerkleVerifier.verifyInclusion(leafHash: leafHash, leafIndex: leafIndex, treeSize: treeSize, proof: proof, root: root)
        }
        let context = Comment(rawValue: "leaf \(leafIndex) of \(treeSize)")
        #expect(verifies(), context)

        #expect(!verifies(leafHash: flippingBit(0, of: leafHash)), context)
        #expect(!verifies(root: flippingBit(200, of: root)), context)
        #expect(!verifies(leafIndex: leafIndex + 1), context)
        if leafIndex > 0 { #expect(!verifies(leafIndex: leafIndex - 1), context) }
        #expect(!verifies(leafIndex: leafIndex ^ 2), context)
        #expect(!verifies(treeSize: treeSize * 2), context)
        #expect(!verifies(treeSize: treeSize / 2), context)
        for position in proof.indices {
            var tampered = proof
            tampered[position] = flippingBit(position * 8 + 3, of: tampered[position])
            #expect(!verifies(proof: tampered), context)
        }
        if !proof.isEmpty {
            #expect(!verifies(proof: Array(proof.dropLast())), context)
            #expect(!verifies(proof: Array(proof.dropFirst())), context)
        }
        #expect(!verifies(proof: proof + [root]), context)
        #expect(!verifies(proof: proof + [leafHash]), context)
        #expect(!verifies(proof: [root] + proof), context)
    }

    private func checkConsistency(
        tree: MerkleMemoryTree, firstSize: UInt64, secondSize: UInt64, firstRoot: MerkleHash, secondRoot: MerkleHash
    ) throws {
        let reader = CountingNodeReader(tree)
        let proof = try reader.consistencyProof(from: firstSize, to: secondSize)
        #expect(reader.reads <= Self.readBudget(secondSize), "\(reader.reads) reads for \(firstSize) → \(secondSize)")
        func verifies(
            firstSize: UInt64 = firstSize, secondSize: UInt64 = secondSize,
            firstRoot: MerkleHash = firstRoot, secondRoot: MerkleHash = secondRoot, proof: [MerkleHash] = proof
        ) -> Bool {
            MerkleVerifier.verifyConsistency(
                firstSize: firstSize, secondSize: secondSize, firstRoot: firstRoot, secondRoot: secondRoot, proof: proof)
        }
        let context = Comment(rawValue: "\(firstSize) → \(secondSize)")
        #expect(verifies(), context)
        #expect(proof.isEmpty == (firstSize == 0 || firstSize == secondSize), context)

        #expect(!verifies(firstRoot: flippingBit(7, of: firstRoot)), context)
        // The empty tree is a prefix of every tree, so only then does the new root not matter.
        if firstSize > 0 { #expect(!verifies(secondRoot: flippingBit(100, of: secondRoot)), context) }
        #expect(!verifies(proof: proof + [secondRoot]), context)
        #expect(!verifies(proof: [firstRoot] + proof), context)
        guard !proof.isEmpty else { return }
        // Non-trivial proofs: every change must break them.
        #expect(!verifies(firstRoot: secondRoot, secondRoot: firstRoot), context)
        #expect(!verifies(firstSize: firstSize - 1), context)
        #expect(!verifies(firstSize: firstSize + 1), context)
        #expect(!verifies(secondSize: secondSize * 2), context)
        #expect(!verifies(secondSize: secondSize / 2), context)
        #expect(!verifies(proof: []), context)
        #expect(!verifies(proof: Array(proof.dropLast())), context)
        #expect(!verifies(proof: [proof[0]] + proof), context)
        for position in proof.indices {
            var tampered = proof
            tampered[position] = flippingBit(position * 8 + 4, of: tampered[position])
            #expect(!verifies(proof: tampered), context)
        }
    }
}

import LedgerCore
import Testing

/// Known answers from Certificate Transparency / transparency-dev/merkle, so that our tree is
/// provably the RFC 6962 tree and not merely self-consistent.
@Suite struct MerkleRFC6962VectorTests {
    static let tree: MerkleMemoryTree = {
        do {
            return try MerkleMemoryTree(leafHashes: RFC6962Vectors.leaves.map(MerkleHash.leaf))
        } catch {
            preconditionFailure("8 leaves fit: \(error)")
        }
    }()

    @Test(arguments: 1...8)
    func rootOfEachPrefix(size: Int) throws {
        let expected = RFC6962Vectors.roots[size - 1]
        #expect(MerkleTree.root(leaves: Array(RFC6962Vectors.leaves.prefix(size))) == expected)
        #expect(try Self.tree.root(treeSize: UInt64(size)) == expected)
        var frontier = MerkleFrontier()
        for leaf in RFC6962Vectors.leaves.prefix(size) { try frontier.append(leafHash: .leaf(leaf)) }
        #expect(frontier.rootHash() == expected)
    }

    @Test(arguments: RFC6962Vectors.inclusionProofs)
    func inclusionProof(vector: RFC6962Vectors.Inclusion) throws {
        let proof = try Self.tree.inclusionProof(leafIndex: vector.leafIndex, treeSize: vector.treeSize)
        #expect(proof == vector.proof)
        let leafHash = MerkleHash.leaf(RFC6962Vectors.leaves[Int(vector.leafIndex)])
        #expect(MerkleVerifier.verifyInclusion(
            leafHash: leafHash, leafIndex: vector.leafIndex, treeSize: vector.treeSize,
            proof: vector.proof, root: RFC6962Vectors.roots[Int(vector.treeSize) - 1]))
    }

    @Test(arguments: RFC6962Vectors.consistencyProofs)
    func consistencyProof(vector: RFC6962Vectors.Consistency) throws {
        let proof = try Self.tree.consistencyProof(from: vector.firstSize, to: vector.secondSize)
        #expect(proof == vector.proof)
        #expect(MerkleVerifier.verifyConsistency(
            firstSize: vector.firstSize, secondSize: vector.secondSize,
            firstRoot: RFC6962Vectors.roots[Int(vector.firstSize) - 1],
            secondRoot: RFC6962Vectors.roots[Int(vector.secondSize) - 1],
            proof: vector.proof))
    }

    /// transparency-dev's edge cases for sizes the RFC algorithm does not cover.
    @Test func consistencyEdgeCases() {
        let some = RFC6962Vectors.roots[0]
        let other = RFC6962Vectors.roots[1]
        let empty = MerkleHash.emptyTree
        // Equal sizes: consistent exactly when the roots are equal and the proof is empty.
        #expect(MerkleVerifier.verifyConsistency(firstSize: 1, secondSize: 1, firstRoot: some, secondRoot: some, proof: []))
        #expect(!MerkleVerifier.verifyConsistency(firstSize: 1, secondSize: 1, firstRoot: some, secondRoot: other, proof: []))
        #expect(!MerkleVerifier.verifyConsistency(firstSize: 1, secondSize: 1, firstRoot: some, secondRoot: some, proof: [empty]))
        #expect(MerkleVerifier.verifyConsistency(firstSize: 0, secondSize: 0, firstRoot: empty, secondRoot: empty, proof: []))
        // The empty tree is a prefix of every tree, with an empty proof.
        #expect(MerkleVerifier.verifyConsistency(firstSize: 0, secondSize: 1, firstRoot: empty, secondRoot: some, proof: []))
        #expect(!MerkleVerifier.verifyConsistency(firstSize: 0, secondSize: 1, firstRoot: empty, secondRoot: some, proof: [empty]))
        #expect(!MerkleVerifier.verifyConsistency(firstSize: 0, secondSize: 1, firstRoot: other, secondRoot: some, proof: []))
        // Time travel and missing proofs.
        #expect(!MerkleVerifier.verifyConsistency(firstSize: 2, secondSize: 1, firstRoot: other, secondRoot: some, proof: []))
        #expect(!MerkleVerifier.verifyConsistency(firstSize: 1, secondSize: 2, firstRoot: some, secondRoot: other, proof: []))
    }

    @Test func inclusionEdgeCases() {
        let leaf = MerkleHash.leaf(Array("data".utf8))
        #expect(MerkleVerifier.verifyInclusion(leafHash: leaf, leafIndex: 0, treeSize: 1, proof: [], root: leaf))
        #expect(!MerkleVerifier.verifyInclusion(leafHash: leaf, leafIndex: 0, treeSize: 0, proof: [], root: .emptyTree))
        #expect(!MerkleVerifier.verifyInclusion(leafHash: leaf, leafIndex: 1, treeSize: 1, proof: [], root: leaf))
        #expect(!MerkleVerifier.verifyInclusion(leafHash: leaf, leafIndex: 0, treeSize: 1, proof: [], root: .emptyTree))
        #expect(!MerkleVerifier.verifyInclusion(leafHash: leaf, leafIndex: 0, treeSize: 1, proof: [leaf], root: leaf))
    }

    @Test func proofRequestsOutsideTheTreeThrow() throws {
        #expect(throws: MerkleError.leafIndexOutOfRange(leafIndex: 8, treeSize: 8)) {
            try Self.tree.inclusionProof(leafIndex: 8, treeSize: 8)
        }
        #expect(throws: MerkleError.sizesOutOfOrder(first: 5, second: 4)) {
            try Self.tree.consistencyProof(from: 5, to: 4)
        }
        #expect(throws: MerkleError.missingNode(MerkleNodeID(level: 0, index: 8))) {
            try Self.tree.root(treeSize: 9)
        }
        #expect(try Self.tree.consistencyProof(from: 0, to: 8).isEmpty)
        #expect(try Self.tree.consistencyProof(from: 8, to: 8).isEmpty)
        #expect(try Self.tree.root(treeSize: 0) == .emptyTree)
    }
}

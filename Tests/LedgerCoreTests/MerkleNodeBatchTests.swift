import LedgerCore
import Testing

@Suite struct MerkleNodeBatchTests {
    /// Fetching exactly the planned nodes is enough to build every proof, for every size.
    @Test(arguments: [1, 2, 3, 5, 8, 13, 64])
    func plannedNodesSufficeForEveryProof(treeSize: Int) throws {
        let tree = MerkleProofTests.smallTree
        let size = UInt64(treeSize)
        func fetch(_ ids: Set<MerkleNodeID>) throws -> MerkleNodeBatch {
            MerkleNodeBatch(Dictionary(uniqueKeysWithValues: try ids.map { ($0, try tree.perfectNode(level: $0.level, index: $0.index)) }))
        }
        #expect(try fetch(MerkleNodeBatch.nodes(forRoot: size)).root(treeSize: size) == tree.root(treeSize: size))
        for leafIndex in 0..<size {
            let batch = try fetch(MerkleNodeBatch.nodes(forInclusionProof: leafIndex, treeSize: size))
            #expect(try batch.inclusionProof(leafIndex: leafIndex, treeSize: size) == tree.inclusionProof(leafIndex: leafIndex, treeSize: size))
        }
        for firstSize in 0...size {
            let batch = try fetch(MerkleNodeBatch.nodes(forConsistencyProof: firstSize, to: size))
            #expect(try batch.consistencyProof(from: firstSize, to: size) == tree.consistencyProof(from: firstSize, to: size))
        }
        #expect(throws: MerkleError.missingNode(MerkleNodeID(level: 0, index: 1))) {  // leaf 0's sibling
            try MerkleNodeBatch([:]).inclusionProof(leafIndex: 0, treeSize: 2)
        }
        #expect(throws: MerkleError.self) { try MerkleNodeBatch.nodes(forInclusionProof: size, treeSize: size) }
    }
}

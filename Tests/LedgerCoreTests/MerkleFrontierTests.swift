import LedgerCore
import Testing

@Suite struct MerkleFrontierTests {
    @Test func rightEdgeAddressesFollowTheSetBitsOfTheSize() {
        #expect(MerkleFrontier.rightEdge(treeSize: 0).isEmpty)
        #expect(MerkleFrontier.rightEdge(treeSize: 1) == [MerkleNodeID(level: 0, index: 0)])
        #expect(MerkleFrontier.rightEdge(treeSize: 8) == [MerkleNodeID(level: 3, index: 0)])
        // 13 = 8 + 4 + 1: leaves 0..<8, 8..<12, 12.
        #expect(MerkleFrontier.rightEdge(treeSize: 13) == [
            MerkleNodeID(level: 3, index: 0), MerkleNodeID(level: 2, index: 2), MerkleNodeID(level: 0, index: 12),
        ])
        #expect(MerkleFrontier.rightEdge(treeSize: UInt64.max).count == 64)
    }

    @Test func appendReportsEveryCompletedPerfectSubtreeOnce() throws {
        var frontier = MerkleFrontier()
        var reported: [MerkleNodeID: MerkleHash] = [:]
        let leaves = testLeafHashes(count: 64)
        for (index, leaf) in leaves.enumerated() {
            for node in try frontier.append(leafHash: leaf) {
                #expect(node.id.level >= 1)
                #expect(reported.updateValue(node.hash, forKey: node.id) == nil, "node \(node.id) reported twice")
                // The node is complete exactly when its last leaf arrives.
                #expect(node.id.firstLeaf + node.id.leafCount == UInt64(index + 1))
                let covered = leaves[Int(node.id.firstLeaf)..<Int(node.id.firstLeaf + node.id.leafCount)]
                #expect(node.hash == MerkleTree.root(leafHashes: Array(covered)))
            }
        }
        // A perfect tree of 64 leaves has 63 interior nodes.
        #expect(reported.count == 63)
        #expect(frontier.size == 64)
        #expect(frontier.rightEdge == [MerkleTree.root(leafHashes: leaves)])
    }

    @Test(arguments: [0, 1, 2, 3, 5, 8, 13, 31, 64, 100, 1000])
    func restoredFrontierMatchesIncrementalOne(size: Int) throws {
        let leaves = testLeafHashes(count: size + 3)
        var tree = MerkleMemoryTree()
        for leaf in leaves.prefix(size) { try tree.append(leafHash: leaf) }

        // What storage does after a restart: read the right-edge nodes, rebuild.
        let stored = try MerkleFrontier.rightEdge(treeSize: UInt64(size)).map {
            try tree.perfectNode(level: $0.level, index: $0.index)
        }
        var restored = try MerkleFrontier(size: UInt64(size), rightEdge: stored)
        #expect(restored == tree.frontier)
        #expect(restored.rootHash() == MerkleTree.root(leafHashes: Array(leaves.prefix(size))))

        // And both keep growing identically.
        var incremental = tree.frontier
        for leaf in leaves.suffix(3) {
            #expect(try restored.append(leafHash: leaf) == incremental.append(leafHash: leaf))
        }
        #expect(restored == incremental)
        #expect(restored.rootHash() == MerkleTree.root(leafHashes: leaves))
    }

    @Test func restoreRejectsARightEdgeOfTheWrongLength() {
        let hash = MerkleHash.leaf([UInt8]())
        #expect(throws: MerkleError.rightEdgeCountMismatch(treeSize: 3, expected: 2, actual: 1)) {
            try MerkleFrontier(size: 3, rightEdge: [hash])
        }
        #expect(throws: MerkleError.rightEdgeCountMismatch(treeSize: 0, expected: 0, actual: 1)) {
            try MerkleFrontier(size: 0, rightEdge: [hash])
        }
    }

    @Test func aFullTreeRefusesMoreLeaves() throws {
        let edge = [MerkleHash](repeating: .emptyTree, count: 64)
        var frontier = try MerkleFrontier(size: UInt64.max, rightEdge: edge)
        #expect(throws: MerkleError.treeFull) { try frontier.append(leafHash: .emptyTree) }
    }
}

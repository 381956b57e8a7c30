import LedgerCore
import LedgerStore
import LedgerTestSupport
import Testing

@Suite(.serialized) struct MerkleConformanceTests {
    @Test(arguments: Backend.allCases)
    func storedTreeMatchesTheRecursiveDefinitionAtEverySize(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 21)
            var leaves: [MerkleHash] = []
            for size in [1, 2, 3, 5, 8, 13, 21] {
                let receipts = try await test.ledger.append((0..<size).map { _ in factory.event() })
                leaves += receipts.map(\.hash)
            }
            let head = try await test.ledger.treeHead()
            #expect(head.size == UInt64(leaves.count))
            #expect(head.rootHash == MerkleTree.root(leafHashes: leaves))
            for size in 1...leaves.count {
                let root = try await test.ledger.root(treeSize: UInt64(size))
                #expect(root == MerkleTree.root(leafHashes: Array(leaves[..<size])))
                for seq in [1, (size + 1) / 2, size] {
                    let proof = try await test.ledger.inclusionProof(seq: UInt64(seq), treeSize: UInt64(size))
                    #expect(MerkleVerifier.verifyInclusion(leafHash: leaves[seq - 1], leafIndex: UInt64(seq - 1),
                                                           treeSize: UInt64(size), proof: proof, root: root))
                }
                let consistency = try await test.ledger.consistencyProof(from: UInt64(size), to: head.size)
                #expect(MerkleVerifier.verifyConsistency(firstSize: UInt64(size), secondSize: head.size, firstRoot: root,
                                                         secondRoot: head.rootHash, proof: consistency))
            }
            #expect(try await test.ledger.leafHash(seq: 7) == leaves[6])
            #expect(try await test.ledger.leafHash(seq: UInt64(leaves.count) + 1) == nil)
            await #expect(throws: TreeSizeError.self) { try await test.ledger.root(treeSize: head.size + 1) }
            await #expect(throws: TreeSizeError.self) { try await test.ledger.inclusionProof(seq: 1, treeSize: head.size + 1) }
        }
    }

    @Test(arguments: Backend.allCases)
    func treeContinuesAcrossReopen(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 22)
            var leaves = try await test.ledger.append((0..<11).map { _ in factory.event() }).map(\.hash)
            try await test.reopen()
            leaves += try await test.ledger.append((0..<6).map { _ in factory.event() }).map(\.hash)
            #expect(try await test.ledger.treeHead().rootHash == MerkleTree.root(leafHashes: leaves))
            #expect(try await test.ledger.verify(progress: nil).passed)
        }
    }

    @Test(arguments: Backend.allCases)
    func verifyCatchesATamperedMerkleNode(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 23)
            _ = try await test.ledger.append((0..<40).map { _ in factory.event() })
            // Node (level 2, index 3) covers leaves 12..15: it is completed by seq 16.
            try await test.tamper("UPDATE merkle_nodes SET hash = \(test.blob([UInt8](repeating: 0, count: 32))) WHERE level = 2 AND idx = 3")
            #expect(try await test.ledger.verify(progress: nil).firstFailure?.seq == 16)
        }
    }
}

import LedgerCore
import Testing
@testable import LedgerStore

@Suite struct MerkleStoreTests {
    @Test func storedTreeMatchesTheRecursiveDefinitionAtEverySize() async throws {
        let test = try TestLedger()
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
        await #expect(throws: TreeSizeError.self) { try await test.ledger.root(treeSize: head.size + 1) }
    }

    @Test func treeContinuesAcrossReopen() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 22)
        var leaves = try await test.ledger.append((0..<11).map { _ in factory.event() }).map(\.hash)
        await test.ledger.close()
        let reopened = try SQLiteLedger(path: test.path, create: false)
        leaves += try await reopened.append((0..<6).map { _ in factory.event() }).map(\.hash)
        #expect(try await reopened.treeHead().rootHash == MerkleTree.root(leafHashes: leaves))
        #expect(try await reopened.verify(progress: nil).passed)
        await reopened.close()
    }

    @Test func verifyCatchesATamperedMerkleNode() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 23)
        _ = try await test.ledger.append((0..<40).map { _ in factory.event() })
        let raw = try SQLiteConnection(path: test.path)
        try raw.execute("DROP TRIGGER merkle_nodes_no_update")
        // Node (level 2, index 3) covers leaves 12..15: it is completed by seq 16.
        try raw.execute("UPDATE merkle_nodes SET hash = zeroblob(32) WHERE level = 2 AND idx = 3")
        #expect(try await test.ledger.verify(progress: nil).firstFailure?.seq == 16)
    }
}

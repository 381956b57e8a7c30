import LedgerCore
import Testing

@Suite struct MerkleHashTests {
    @Test func emptyTreeIsSHA256OfNothing() {
        #expect(MerkleHash.emptyTree.description == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(MerkleTree.root(leafHashes: []) == .emptyTree)
        #expect(MerkleFrontier().rootHash() == .emptyTree)
    }

    @Test func leafAndNodeHashesAreDomainSeparated() {
        // RFC 6962 leaf of the empty string: SHA-256(0x00).
        #expect(MerkleHash.leaf([UInt8]()).description == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
        // SHA-256(0x01 || leaf("") || leaf(00)) is the RFC 6962 example root of size 2.
        let left = MerkleHash.leaf([UInt8]())
        let right = MerkleHash.leaf([0x00])
        #expect(MerkleHash.node(left, right) == RFC6962Vectors.roots[1])
        #expect(MerkleHash.node(right, left) != RFC6962Vectors.roots[1])
        // A leaf whose data is an encoded node must not collide with that node.
        #expect(MerkleHash.leaf([0x01] + left.bytes + right.bytes) != MerkleHash.node(left, right))
    }

    @Test func hexRoundTripsAndRejectsMalformedText() {
        let text = "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"
        let hash = testHash(text)
        #expect(hash.description == text)
        #expect(MerkleHash(hex: text.uppercased()) == hash)
        #expect(MerkleHash(bytes: hash.bytes) == hash)
        #expect(hash.bytes.count == 32)
        #expect(MerkleHash(hex: String(text.dropLast())) == nil)
        #expect(MerkleHash(hex: text + "00") == nil)
        #expect(MerkleHash(hex: "g" + text.dropFirst()) == nil)
        #expect(MerkleHash(bytes: [UInt8](repeating: 0, count: 31)) == nil)
        #expect(MerkleHash(bytes: [UInt8](repeating: 0, count: 33)) == nil)
    }

    @Test func equalHashesHashEqually() {
        let a = testHash("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")
        let b = MerkleHash(bytes: a.bytes)
        #expect(Set([a, b].compactMap { $0 }).count == 1)
        #expect(flippingBit(255, of: a) != a)
    }
}

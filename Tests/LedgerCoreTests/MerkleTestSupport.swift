import LedgerCore

/// Decodes test hex literals; a typo in a vector is a bug in the test, so it traps.
func testBytes(hex: String) -> [UInt8] {
    precondition(hex.utf8.count % 2 == 0, "odd hex literal \(hex)")
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        guard let byte = UInt8(hex[index..<next], radix: 16) else { preconditionFailure("bad hex literal \(hex)") }
        bytes.append(byte)
        index = next
    }
    return bytes
}

func testHash(_ hex: String) -> MerkleHash {
    guard let hash = MerkleHash(hex: hex) else { preconditionFailure("bad hash literal \(hex)") }
    return hash
}

/// Distinct, deterministic leaf hashes for generated trees.
func testLeafHashes(count: Int) -> [MerkleHash] {
    (0..<count).map { MerkleHash.leaf(Array("leaf \($0)".utf8)) }
}

/// The same hash with one bit flipped.
func flippingBit(_ bit: Int, of hash: MerkleHash) -> MerkleHash {
    var bytes = hash.bytes
    bytes[bit / 8] ^= 1 << UInt8(bit % 8)
    guard let flipped = MerkleHash(bytes: bytes) else { preconditionFailure("32 bytes stay 32 bytes") }
    return flipped
}

/// Counts node reads, to check that proofs cost O(log n) reads.
final class CountingNodeReader: MerkleNodeReader {
    let base: any MerkleNodeReader
    private(set) var reads = 0

    init(_ base: any MerkleNodeReader) { self.base = base }

    func perfectNode(level: Int, index: UInt64) throws -> MerkleHash {
        reads += 1
        return try base.perfectNode(level: level, index: index)
    }
}

/// The RFC 6962 example tree used by Certificate Transparency and transparency-dev/merkle
/// (proof/verify_test.go): eight leaves and the roots of each prefix.
enum RFC6962Vectors {
    static let leaves: [[UInt8]] = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ].map(testBytes(hex:))

    /// `roots[n - 1]` is the root of the first n leaves.
    static let roots: [MerkleHash] = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ].map(testHash)

    struct Inclusion: Sendable, CustomStringConvertible {
        let leafIndex: UInt64
        let treeSize: UInt64
        let proof: [MerkleHash]
        var description: String { "leaf \(leafIndex) of \(treeSize)" }
    }

    struct Consistency: Sendable, CustomStringConvertible {
        let firstSize: UInt64
        let secondSize: UInt64
        let proof: [MerkleHash]
        var description: String { "\(firstSize) → \(secondSize)" }
    }

    static let inclusionProofs: [Inclusion] = [
        Inclusion(leafIndex: 0, treeSize: 1, proof: []),
        Inclusion(leafIndex: 0, treeSize: 8, proof: [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ].map(testHash)),
        Inclusion(leafIndex: 5, treeSize: 8, proof: [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ].map(testHash)),
        Inclusion(leafIndex: 2, treeSize: 3, proof: [
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        ].map(testHash)),
        Inclusion(leafIndex: 1, treeSize: 5, proof: [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ].map(testHash)),
    ]

    static let consistencyProofs: [Consistency] = [
        Consistency(firstSize: 1, secondSize: 1, proof: []),
        Consistency(firstSize: 1, secondSize: 8, proof: [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ].map(testHash)),
        Consistency(firstSize: 6, secondSize: 8, proof: [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ].map(testHash)),
        Consistency(firstSize: 2, secondSize: 5, proof: [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ].map(testHash)),
        Consistency(firstSize: 6, secondSize: 7, proof: [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ].map(testHash)),
    ]
}

import Foundation

/// RFC 9162 §2.1.1's recursive Merkle Tree Hash over a whole list of leaves.
///
/// This is the specification's definition, written as directly as possible so that tests
/// and `verify` can check the incremental frontier and the stored-node proofs against it.
/// It holds every leaf hash in memory; to recompute the root of a large ledger in constant
/// memory, stream the leaves through ``MerkleFrontier`` instead.
public enum MerkleTree {
    /// `MTH(D[n])` for leaves given by their leaf hashes.
    public static func root(leafHashes: [MerkleHash]) -> MerkleHash {
        leafHashes.isEmpty ? .emptyTree : mth(leafHashes[...])
    }

    /// `MTH(D[n])` for leaves given by their data (each is hashed with ``MerkleHash/leaf(_:)``).
    public static func root<Bytes: DataProtocol>(leaves: [Bytes]) -> MerkleHash {
        root(leafHashes: leaves.map { MerkleHash.leaf($0) })
    }

    private static func mth(_ leaves: ArraySlice<MerkleHash>) -> MerkleHash {
        switch leaves.count {
        case 0: return .emptyTree
        case 1: return leaves[leaves.startIndex]
        default:
            let split = leaves.startIndex + Int(largestPowerOfTwo(below: UInt64(leaves.count)))
            return MerkleHash.node(mth(leaves[..<split]), mth(leaves[split...]))
        }
    }
}

/// Proofs for storage that reads in batches or asynchronously (one SQL query for all the
/// nodes, PostgreSQL through an async driver): first ask which perfect nodes a proof needs,
/// fetch them however suits, then compute the proof from the fetched hashes.
///
///     let ids = try MerkleNodeBatch.nodes(forInclusionProof: index, treeSize: size)
///     let hashes: [MerkleNodeID: MerkleHash] = try await store.fetchNodes(ids)
///     let proof = try MerkleNodeBatch(hashes).inclusionProof(leafIndex: index, treeSize: size)
///
/// The node set is exactly what the ``MerkleNodeReader`` computation reads, because that
/// computation is run with a recorder: which nodes are read never depends on their hashes.
public struct MerkleNodeBatch: MerkleNodeReader, Sendable {
    private let hashes: [MerkleNodeID: MerkleHash]

    /// Serves exactly these fetched nodes.
    public init(_ hashes: [MerkleNodeID: MerkleHash]) {
        self.hashes = hashes
    }

    /// - Throws: ``MerkleError/missingNode(_:)`` for a node that was not fetched.
    public func perfectNode(level: Int, index: UInt64) throws -> MerkleHash {
        let id = MerkleNodeID(level: level, index: index)
        guard let hash = hashes[id] else { throw MerkleError.missingNode(id) }
        return hash
    }

    /// The nodes ``MerkleNodeReader/root(treeSize:)`` reads.
    public static func nodes(forRoot treeSize: UInt64) -> Set<MerkleNodeID> {
        Set(MerkleFrontier.rightEdge(treeSize: treeSize))
    }

    /// The nodes ``MerkleNodeReader/inclusionProof(leafIndex:treeSize:)`` reads.
    public static func nodes(forInclusionProof leafIndex: UInt64, treeSize: UInt64) throws -> Set<MerkleNodeID> {
        try recordReads { try $0.inclusionProof(leafIndex: leafIndex, treeSize: treeSize) }
    }

    /// The nodes ``MerkleNodeReader/consistencyProof(from:to:)`` reads.
    public static func nodes(forConsistencyProof firstSize: UInt64, to secondSize: UInt64) throws -> Set<MerkleNodeID> {
        try recordReads { try $0.consistencyProof(from: firstSize, to: secondSize) }
    }

    private static func recordReads(_ computation: (RecordingReader) throws -> [MerkleHash]) throws -> Set<MerkleNodeID> {
        let recorder = RecordingReader()
        _ = try computation(recorder)
        return recorder.reads
    }
}

/// Answers every read with a dummy hash and remembers what was asked.
private final class RecordingReader: MerkleNodeReader {
    private(set) var reads: Set<MerkleNodeID> = []

    func perfectNode(level: Int, index: UInt64) throws -> MerkleHash {
        reads.insert(MerkleNodeID(level: level, index: index))
        return .emptyTree
    }
}

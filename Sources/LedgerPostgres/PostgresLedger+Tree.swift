import LedgerCore
import LedgerStore
import Logging
import PostgresNIO

extension PostgresLedger {
    public func treeHead() async throws -> TreeHead {
        try await PostgresErrors.completing { [self] in try await Self.treeHead(on: pool, logger: logger) }
    }

    /// The tree as it is now. Rows never change, so the size read first and the nodes read
    /// after it agree without a transaction.
    static func treeHead(on database: some PostgresQueryable, logger: Logger) async throws -> TreeHead {
        let size = try await PostgresMerkleNodes.treeSize(on: database, logger: logger)
        return TreeHead(size: size, rootHash: try await root(treeSize: size, on: database, logger: logger))
    }

    static func root(treeSize: UInt64, on database: some PostgresQueryable, logger: Logger) async throws -> MerkleHash {
        let nodes = try await PostgresMerkleNodes.fetch(MerkleNodeBatch.nodes(forRoot: treeSize), on: database, logger: logger)
        return try MerkleNodeBatch(nodes).root(treeSize: treeSize)
    }

    public func root(treeSize: UInt64) async throws -> MerkleHash {
        try await withTree(atLeast: treeSize, nodes: MerkleNodeBatch.nodes(forRoot: treeSize)) { try $0.root(treeSize: treeSize) }
    }

    public func inclusionProof(seq: UInt64, treeSize: UInt64) async throws -> [MerkleHash] {
        guard seq >= 1 else { throw MerkleError.leafIndexOutOfRange(leafIndex: 0, treeSize: treeSize) }
        return try await withTree(atLeast: treeSize, nodes: try MerkleNodeBatch.nodes(forInclusionProof: seq - 1, treeSize: treeSize)) {
            try $0.inclusionProof(leafIndex: seq - 1, treeSize: treeSize)
        }
    }

    public func consistencyProof(from firstSize: UInt64, to secondSize: UInt64) async throws -> [MerkleHash] {
        try await withTree(atLeast: secondSize, nodes: try MerkleNodeBatch.nodes(forConsistencyProof: firstSize, to: secondSize)) {
            try $0.consistencyProof(from: firstSize, to: secondSize)
        }
    }

    public func leafHash(seq: UInt64) async throws -> MerkleHash? {
        guard seq >= 1, seq <= UInt64(Int64.max) else { return nil }
        let id = MerkleNodeID(level: 0, index: seq - 1)
        return try await PostgresErrors.completing { [self] in try await PostgresMerkleNodes.fetch([id], on: pool, logger: logger)[id] }
    }

    /// Fetches `nodes` and runs `body` over them, refusing sizes the ledger has not reached.
    private func withTree<T: Sendable>(atLeast size: UInt64, nodes: Set<MerkleNodeID>,
                                       _ body: @escaping @Sendable (MerkleNodeBatch) throws -> T) async throws -> T {
        try await PostgresErrors.completing { [self] in
            let current = try await PostgresMerkleNodes.treeSize(on: pool, logger: logger)
            guard size <= current else { throw TreeSizeError(requested: size, current: current) }
            return try body(MerkleNodeBatch(try await PostgresMerkleNodes.fetch(nodes, on: pool, logger: logger)))
        }
    }
}

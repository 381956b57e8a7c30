import LedgerCore

extension SQLiteLedger {
    public func treeHead() async throws -> TreeHead {
        try await readers.withConnection { connection in
            try connection.transaction("DEFERRED") { try Self.treeHead(connection) }
        }
    }

    static func treeHead(_ connection: SQLiteConnection) throws -> TreeHead {
        let size = UInt64(try connection.scalarInt("SELECT coalesce(max(seq), 0) FROM events") ?? 0)
        return TreeHead(size: size, rootHash: try SQLiteMerkleNodes(connection: connection).root(treeSize: size))
    }

    public func root(treeSize: UInt64) async throws -> MerkleHash {
        try await withTree(atLeast: treeSize) { try $0.root(treeSize: treeSize) }
    }

    public func inclusionProof(seq: UInt64, treeSize: UInt64) async throws -> [MerkleHash] {
        guard seq >= 1 else { throw MerkleError.leafIndexOutOfRange(leafIndex: 0, treeSize: treeSize) }
        return try await withTree(atLeast: treeSize) { try $0.inclusionProof(leafIndex: seq - 1, treeSize: treeSize) }
    }

    public func consistencyProof(from firstSize: UInt64, to secondSize: UInt64) async throws -> [MerkleHash] {
        try await withTree(atLeast: secondSize) { try $0.consistencyProof(from: firstSize, to: secondSize) }
    }

    /// Runs `body` over the stored nodes, refusing sizes the ledger has not reached.
    private func withTree<T: Sendable>(atLeast size: UInt64, _ body: @escaping @Sendable (SQLiteMerkleNodes) throws -> T) async throws -> T {
        try await readers.withConnection { connection in
            try connection.transaction("DEFERRED") {
                let current = UInt64(try connection.scalarInt("SELECT coalesce(max(seq), 0) FROM events") ?? 0)
                guard size <= current else { throw TreeSizeError(requested: size, current: current) }
                return try body(SQLiteMerkleNodes(connection: connection))
            }
        }
    }
}

import LedgerCore
import LedgerStore
import Logging
import PostgresNIO

/// Signed checkpoints (append-only `checkpoints`) and the signing identity (`ledger_meta`).
///
/// Whichever node signs, stores go through one advisory lock, so two signers cannot interleave:
/// the check that the latest stored checkpoint is still `previousTreeSize` and the insert happen
/// under it.
extension PostgresLedger {
    static let checkpointLockKey: Int64 = 0x4175_6469_744C_0003
    static let originKey = "origin"
    static let verifierKeyKey = "verifier_key"
    static let checkpointColumns = "tree_size, root_hash, signed_note, created_at"

    public func identity() async throws -> LedgerIdentity? {
        try await PostgresErrors.completing { [self] in try await Self.identity(on: pool, logger: logger) }
    }

    static func identity(on database: some PostgresQueryable, logger: Logger) async throws -> LedgerIdentity? {
        var values: [String: String] = [:]
        for (key, value) in try await database.rows("SELECT key, value FROM ledger_meta", as: (String, String).self, logger: logger) {
            values[key] = value
        }
        guard let origin = values[originKey], let key = values[verifierKeyKey] else { return nil }
        return LedgerIdentity(origin: origin, verifier: try NoteVerifier(verifierKey: key))
    }

    public func setIdentity(_ identity: LedgerIdentity) async throws {
        try await withCheckpointLock { connection in
            if let existing = try await Self.identity(on: connection, logger: self.logger) {
                guard existing == identity else { throw CheckpointError.identityAlreadySet(origin: existing.origin) }
                return
            }
            let keys = [Self.originKey, Self.verifierKeyKey], values = [identity.origin, identity.verifier.verifierKey]
            try await connection.execute(
                "INSERT INTO ledger_meta (key, value) SELECT * FROM unnest(\(keys)::text[], \(values)::text[])", logger: self.logger)
        }
    }

    public func latestCheckpoint() async throws -> StoredCheckpoint? {
        try await readCheckpoints("SELECT \(unescaped: Self.checkpointColumns) FROM checkpoints ORDER BY tree_size DESC LIMIT 1").first
    }

    public func checkpoint(atLeast treeSize: UInt64) async throws -> StoredCheckpoint? {
        try await readCheckpoints("""
            SELECT \(unescaped: Self.checkpointColumns) FROM checkpoints WHERE tree_size >= \(Int64(clamping: treeSize))
            ORDER BY tree_size LIMIT 1
            """).first
    }

    public func checkpoints(after afterTreeSize: UInt64?, limit: Int) async throws -> [StoredCheckpoint] {
        try await PostgresErrors.completing { [self] in
            try await Self.checkpoints(on: pool, after: afterTreeSize.map { Int64(clamping: $0) } ?? -1, limit: limit, logger: logger)
        }
    }

    static func checkpoints(on database: some PostgresQueryable, after: Int64, limit: Int, logger: Logger) async throws -> [StoredCheckpoint] {
        try await checkpointRows("""
            SELECT \(unescaped: checkpointColumns) FROM checkpoints WHERE tree_size > \(after)
            ORDER BY tree_size LIMIT \(Int64(max(0, limit)))
            """, on: database, logger: logger)
    }

    private func readCheckpoints(_ query: PostgresQuery) async throws -> [StoredCheckpoint] {
        try await PostgresErrors.completing { [self] in try await Self.checkpointRows(query, on: pool, logger: logger) }
    }

    private static func checkpointRows(_ query: PostgresQuery, on database: some PostgresQueryable, logger: Logger) async throws -> [StoredCheckpoint] {
        try await database.rows(query, as: (Int64, ByteBuffer, String, Int64).self, logger: logger).map { size, root, note, created in
            guard let rootHash = MerkleHash(bytes: root.readableBytesView) else {
                throw PostgresLedgerError.server("checkpoint \(size) has a malformed root hash")
            }
            return StoredCheckpoint(treeSize: UInt64(size), rootHash: rootHash, signedNote: note, createdAt: Timestamp(microseconds: created))
        }
    }

    public func appendCheckpoint(_ checkpoint: StoredCheckpoint, previousTreeSize: UInt64?) async throws {
        try await withCheckpointLock { connection in
            let logger = self.logger
            let latest = try await connection.scalar("SELECT max(tree_size) FROM checkpoints", as: Int64?.self, logger: logger)
                .flatMap { $0 }.map { UInt64($0) }
            guard latest == previousTreeSize else { throw CheckpointError.notLatest(expected: previousTreeSize, actual: latest) }
            if let latest, checkpoint.treeSize <= latest {
                throw CheckpointError.treeShrank(checkpointSize: latest, currentSize: checkpoint.treeSize)
            }
            let size = try await PostgresMerkleNodes.treeSize(on: connection, logger: logger)
            guard checkpoint.treeSize <= size else { throw TreeSizeError(requested: checkpoint.treeSize, current: size) }
            // Checked again under the lock: no checkpoint is ever stored for a tree we do not hold.
            guard try await Self.root(treeSize: checkpoint.treeSize, on: connection, logger: logger) == checkpoint.rootHash else {
                throw CheckpointError.rootMismatch(treeSize: checkpoint.treeSize)
            }
            try await connection.execute("""
                INSERT INTO checkpoints (\(unescaped: Self.checkpointColumns))
                VALUES (\(Int64(checkpoint.treeSize)), \(ByteBuffer(checkpoint.rootHash.bytes)), \(checkpoint.signedNote),
                        \(checkpoint.createdAt.microseconds))
                """, logger: logger)
        }
    }

    /// Runs `body` in a transaction holding the checkpoint lock (not the writer's: signing never
    /// waits for ingest, and the tree it checks is append-only).
    private func withCheckpointLock(_ body: @escaping @Sendable (PostgresConnection) async throws -> Void) async throws {
        try await PostgresErrors.completing { [self] in
            try await PostgresTransaction.run(pool, logger: logger) { connection in
                try await connection.execute("SELECT pg_advisory_xact_lock(\(Self.checkpointLockKey))", logger: self.logger)
                try await body(connection)
            }
        }
    }
}

import LedgerCore

/// Signed checkpoints and the signing identity, in `checkpoints` (append-only, migration 2)
/// and `ledger_meta`.
extension SQLiteLedger {
    static let originKey = "origin"
    static let verifierKeyKey = "verifier_key"

    public func identity() async throws -> LedgerIdentity? {
        try await readers.withConnection { try Self.identity($0) }
    }

    static func identity(_ connection: SQLiteConnection) throws -> LedgerIdentity? {
        let statement = try connection.statement("SELECT value FROM ledger_meta WHERE key = ?")
        func value(_ key: String) throws -> String? {
            try statement.bind(1, key)
            defer { statement.reset() }
            return try statement.step() ? statement.text(0) : nil
        }
        guard let origin = try value(originKey), let key = try value(verifierKeyKey) else { return nil }
        return LedgerIdentity(origin: origin, verifier: try NoteVerifier(verifierKey: key))
    }

    public func setIdentity(_ identity: LedgerIdentity) async throws {
        try await withWriteConnection { connection in
            if let existing = try Self.identity(connection) {
                guard existing == identity else { throw CheckpointError.identityAlreadySet(origin: existing.origin) }
                return
            }
            let insert = try connection.statement("INSERT INTO ledger_meta (key, value) VALUES (?, ?)")
            for (key, value) in [(Self.originKey, identity.origin), (Self.verifierKeyKey, identity.verifier.verifierKey)] {
                try insert.bind(1, key)
                try insert.bind(2, value)
                try insert.run()
            }
        }
    }

    public func leafHash(seq: UInt64) async throws -> MerkleHash? {
        guard seq >= 1, seq <= UInt64(Int64.max) else { return nil }
        return try await readers.withConnection { connection in
            try? SQLiteMerkleNodes(connection: connection).perfectNode(level: 0, index: seq - 1)
        }
    }

    public func latestCheckpoint() async throws -> StoredCheckpoint? {
        try await readers.withConnection { connection in
            try Self.checkpoints(connection, where: "1", order: "DESC", limit: 1).first
        }
    }

    public func checkpoint(atLeast treeSize: UInt64) async throws -> StoredCheckpoint? {
        try await readers.withConnection { connection in
            try Self.checkpoints(connection, where: "tree_size >= ?", bound: [Int64(clamping: treeSize)], limit: 1).first
        }
    }

    public func checkpoints(after afterTreeSize: UInt64?, limit: Int) async throws -> [StoredCheckpoint] {
        try await readers.withConnection { connection in
            try Self.checkpoints(connection, where: "tree_size > ?", bound: [afterTreeSize.map { Int64(clamping: $0) } ?? -1], limit: limit)
        }
    }

    static let checkpointColumns = "tree_size, root_hash, signed_note, created_at"

    static func checkpoints(_ connection: SQLiteConnection, where condition: String, bound: [Int64] = [],
                            order: String = "ASC", limit: Int) throws -> [StoredCheckpoint] {
        let statement = try connection.statement(
            "SELECT \(checkpointColumns) FROM checkpoints WHERE \(condition) ORDER BY tree_size \(order) LIMIT ?")
        for (offset, value) in bound.enumerated() { try statement.bind(Int32(offset + 1), value) }
        try statement.bind(Int32(bound.count + 1), Int64(max(0, limit)))
        defer { statement.reset() }
        var result: [StoredCheckpoint] = []
        while try statement.step() { result.append(try checkpoint(statement)) }
        return result
    }

    /// One row of `SELECT \(checkpointColumns)`.
    static func checkpoint(_ statement: SQLiteStatement) throws -> StoredCheckpoint {
        guard let root = statement.hash(1), let note = statement.text(2) else {
            throw SQLiteError(code: 0, message: "checkpoint row without a root or note", sql: statement.sql)
        }
        return StoredCheckpoint(treeSize: UInt64(statement.int64(0)), rootHash: root, signedNote: note,
                                createdAt: Timestamp(microseconds: statement.int64(3)))
    }

    public func appendCheckpoint(_ checkpoint: StoredCheckpoint, previousTreeSize: UInt64?) async throws {
        try await withWriteConnection { connection in
            let latest = try connection.scalarInt("SELECT max(tree_size) FROM checkpoints").map { UInt64($0) }
            guard latest == previousTreeSize else { throw CheckpointError.notLatest(expected: previousTreeSize, actual: latest) }
            if let latest, checkpoint.treeSize <= latest {
                throw CheckpointError.treeShrank(checkpointSize: latest, currentSize: checkpoint.treeSize)
            }
            let size = UInt64(try connection.scalarInt("SELECT coalesce(max(seq), 0) FROM events") ?? 0)
            guard checkpoint.treeSize <= size else { throw TreeSizeError(requested: checkpoint.treeSize, current: size) }
            // The signer already checked this against its own read; checking again inside the
            // write transaction means no checkpoint can ever be stored for a tree we do not hold.
            guard try SQLiteMerkleNodes(connection: connection).root(treeSize: checkpoint.treeSize) == checkpoint.rootHash else {
                throw CheckpointError.rootMismatch(treeSize: checkpoint.treeSize)
            }
            let insert = try connection.statement("INSERT INTO checkpoints (\(Self.checkpointColumns)) VALUES (?, ?, ?, ?)")
            try insert.bind(1, Int64(checkpoint.treeSize))
            try insert.bind(2, checkpoint.rootHash)
            try insert.bind(3, checkpoint.signedNote)
            try insert.bind(4, checkpoint.createdAt.microseconds)
            try insert.run()
        }
    }

    /// Runs `body` in an IMMEDIATE transaction on a short-lived read-write connection.
    ///
    /// Checkpoints and the identity are written a few times an hour, so they do not go through
    /// the group-commit writer (whose queue is for events): SQLite's write lock serialises the
    /// two, and the writer reloads its cached state when it sees another connection's commit.
    func withWriteConnection<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        let path = self.path
        return try await readers.run {
            let connection = try SQLiteConnection(path: path)
            // wal_autocheckpoint=0: otherwise this commit would copy the whole WAL back into the
            // database on our thread (1.2 s at 1M events in TamperBench); WALCheckpointer does it.
            try connection.execute("PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0;")
            return try connection.transaction { try body(connection) }
        }
    }
}

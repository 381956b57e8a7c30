import LedgerCore

/// Tokens in the ledger file, on migration 2's append-only `tokens` and `token_revocations`.
///
/// Token writes are rare (an operator's command), so they take their own short-lived write
/// connection rather than a place in the group-commit queue, whose batches are events only.
/// SQLite serialises them with the writer's transactions; the busy timeout makes them wait.
/// Their times are wall-clock times: they are not hashed, and only shown to operators.
extension SQLiteLedger: TokenRepository {
    public func createToken(account: String, scope: TokenScope, name: String?) async throws -> IssuedToken {
        try TokenRules.validate(account: account, name: name)
        let (id, secret) = TokenSecret.generate()
        let token = APIToken(id: id, account: account, scope: scope, name: name, createdAt: Timestamp.systemNow())
        try await withSideWriter { connection in
            let insert = try connection.statement("""
                INSERT INTO tokens (token_id, secret_hash, account, scope, name, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """)
            try insert.bind(1, token.id)
            try insert.bind(2, TokenSecret.hash(secret))
            try insert.bind(3, token.account)
            try insert.bind(4, token.scope.rawValue)
            try insert.bind(5, token.name)
            try insert.bind(6, token.createdAt.microseconds)
            try insert.run()
        }
        return IssuedToken(token: token, secret: secret)
    }

    public func tokens() async throws -> [APIToken] {
        try await readers.withConnection { connection in
            let statement = try connection.statement("\(Self.tokenSelect) ORDER BY t.created_at, t.token_id")
            defer { statement.reset() }
            var tokens: [APIToken] = []
            while try statement.step() { tokens.append(try Self.token(from: statement)) }
            return tokens
        }
    }

    public func revokeToken(id: String) async throws -> APIToken {
        let revokedAt = Timestamp.systemNow()
        return try await withSideWriter { connection in
            let lookup = try connection.statement("\(Self.tokenSelect) WHERE t.token_id = ?")
            try lookup.bind(1, id)
            guard try lookup.step() else {
                lookup.reset()
                throw TokenError.unknown(id: id)
            }
            var token = try Self.token(from: lookup)
            lookup.reset()
            if token.isRevoked { return token }
            let insert = try connection.statement("INSERT INTO token_revocations (token_id, revoked_at) VALUES (?, ?)")
            try insert.bind(1, id)
            try insert.bind(2, revokedAt.microseconds)
            try insert.run()
            token.revokedAt = revokedAt
            return token
        }
    }

    public func authenticate(secret: String) async throws -> APIToken? {
        // A text that cannot be one of ours is refused without touching the database.
        guard let embeddedID = TokenSecret.id(in: secret) else { return nil }
        let hash = TokenSecret.hash(secret)
        let token = try await readers.withConnection { connection -> APIToken? in
            let statement = try connection.statement("\(Self.tokenSelect) WHERE t.secret_hash = ?")
            try statement.bind(1, hash)
            defer { statement.reset() }
            return try statement.step() ? try Self.token(from: statement) : nil
        }
        guard let token, token.id == embeddedID, !token.isRevoked else { return nil }
        return token
    }

    private static let tokenSelect = """
        SELECT t.token_id, t.account, t.scope, t.name, t.created_at, r.revoked_at
        FROM tokens t LEFT JOIN token_revocations r ON r.token_id = t.token_id
        """

    private static func token(from row: SQLiteStatement) throws -> APIToken {
        guard let id = row.text(0), let account = row.text(1), let scope = row.text(2).flatMap(TokenScope.init(rawValue:)) else {
            throw SQLiteError(code: 0, message: "malformed token row", sql: nil)
        }
        return APIToken(id: id, account: account, scope: scope, name: row.text(3),
                        createdAt: Timestamp(microseconds: row.int64(4)),
                        revokedAt: row.isNull(5) ? nil : Timestamp(microseconds: row.int64(5)))
    }

    /// Runs `body` in one IMMEDIATE transaction on a connection of its own, off the
    /// concurrency pool (SQLite blocks). For writes outside the event stream (tokens, imports);
    /// the group-commit writer notices them through `data_version` and reloads its state.
    func withSideWriter<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        let path = self.path
        return try await readers.run {
            let connection = try SQLiteConnection(path: path)
            return try connection.transaction { try body(connection) }
        }
    }
}

import LedgerCore
import LedgerStore
import PostgresNIO

/// Tokens in the append-only `tokens` and `token_revocations` tables, as in the SQLite backend:
/// only the SHA-256 of a secret is stored, and a revocation is a row of its own.
extension PostgresLedger: TokenRepository {
    public func createToken(account: String, scope: TokenScope, name: String?) async throws -> IssuedToken {
        try TokenRules.validate(account: account, name: name)
        let (id, secret) = TokenSecret.generate()
        let token = APIToken(id: id, account: account, scope: scope, name: name, createdAt: Timestamp.systemNow())
        try await insertTokens([StoredToken(token: token, secretHash: TokenSecret.hash(secret))])
        return IssuedToken(token: token, secret: secret)
    }

    public func tokens() async throws -> [APIToken] {
        try await storedTokens().map(\.token)
    }

    public func revokeToken(id: String) async throws -> APIToken {
        let revokedAt = Timestamp.systemNow()
        return try await PostgresErrors.completing { [self] in
            // A concurrent revocation of the same token keeps the first time (ON CONFLICT).
            try await pool.execute("""
                INSERT INTO token_revocations (token_id, revoked_at)
                SELECT token_id, \(revokedAt.microseconds) FROM tokens WHERE token_id = \(id)
                ON CONFLICT (token_id) DO NOTHING
                """, logger: logger)
            guard let token = try await readTokens("\(unescaped: Self.tokenSelect) WHERE t.token_id = \(id)").first else {
                throw TokenError.unknown(id: id)
            }
            return token.token
        }
    }

    public func authenticate(secret: String) async throws -> APIToken? {
        // A text that cannot be one of ours is refused without touching the database.
        guard let embeddedID = TokenSecret.id(in: secret) else { return nil }
        let hash = ByteBuffer(TokenSecret.hash(secret))
        let token = try await PostgresErrors.completing { [self] in
            try await readTokens("\(unescaped: Self.tokenSelect) WHERE t.secret_hash = \(hash)").first?.token
        }
        guard let token, token.id == embeddedID, !token.isRevoked else { return nil }
        return token
    }

    static let tokenSelect = """
        SELECT t.token_id, t.account, t.scope, t.name, t.created_at, r.revoked_at, t.secret_hash
        FROM tokens t LEFT JOIN token_revocations r ON r.token_id = t.token_id
        """

    func readTokens(_ query: PostgresQuery) async throws -> [StoredToken] {
        try await pool.rows(query, as: (String, String, String, String?, Int64, Int64?, ByteBuffer).self, logger: logger)
            .map { id, account, scope, name, created, revoked, secretHash in
                guard let scope = TokenScope(rawValue: scope) else { throw PostgresLedgerError.server("token \(id) has an unknown scope") }
                return StoredToken(
                    token: APIToken(id: id, account: account, scope: scope, name: name, createdAt: Timestamp(microseconds: created),
                                    revokedAt: revoked.map(Timestamp.init(microseconds:))),
                    secretHash: secretHash.byteArray)
            }
    }

    /// Inserts tokens and the revocations they carry, in one transaction.
    func insertTokens(_ tokens: [StoredToken]) async throws {
        if tokens.isEmpty { return }
        let ids = tokens.map(\.token.id), hashes = tokens.map { ByteBuffer($0.secretHash) }
        let accounts = tokens.map(\.token.account), scopes = tokens.map(\.token.scope.rawValue)
        let hasName = tokens.map { $0.token.name != nil }, names = tokens.map { $0.token.name ?? "" }
        let created = tokens.map(\.token.createdAt.microseconds)
        let revoked = tokens.filter(\.token.isRevoked)
        let revokedIDs = revoked.map(\.token.id), revokedAt = revoked.map { $0.token.revokedAt?.microseconds ?? 0 }
        try await PostgresErrors.completing { [self] in
            try await PostgresTransaction.run(pool, logger: logger) { connection in
                try await connection.execute("""
                    INSERT INTO tokens (token_id, secret_hash, account, scope, name, created_at)
                    SELECT id, hash, account, scope, CASE WHEN has_name THEN name END, created
                    FROM unnest(\(ids)::text[], \(hashes)::bytea[], \(accounts)::text[], \(scopes)::text[],
                                \(hasName)::boolean[], \(names)::text[], \(created)::bigint[])
                        AS t(id, hash, account, scope, has_name, name, created)
                    """, logger: self.logger)
                if !revokedIDs.isEmpty {
                    try await connection.execute("""
                        INSERT INTO token_revocations (token_id, revoked_at)
                        SELECT * FROM unnest(\(revokedIDs)::text[], \(revokedAt)::bigint[])
                        """, logger: self.logger)
                }
            }
        }
    }
}

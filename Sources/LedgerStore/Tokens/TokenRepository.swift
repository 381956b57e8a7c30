import LedgerCore

/// Where API tokens live: beside the ledger, in append-only tables (a revocation is a row of
/// its own, never an update).
public protocol TokenRepository: Sendable {
    /// Creates a token and returns its secret, which is never stored and cannot be shown again.
    func createToken(account: String, scope: TokenScope, name: String?) async throws -> IssuedToken

    /// Every token, oldest first, revoked ones included (with their revocation time).
    func tokens() async throws -> [APIToken]

    /// Revokes a token. Throws `TokenError.unknown` for an id the ledger does not hold;
    /// revoking a revoked token again is not an error and keeps the first revocation time.
    func revokeToken(id: String) async throws -> APIToken

    /// The live (not revoked) token whose secret this is, or nil.
    func authenticate(secret: String) async throws -> APIToken?
}

/// What every backend checks before creating a token.
public enum TokenRules {
    /// - Throws: ``TokenError/invalidAccount(_:)`` or ``TokenError/invalidName(_:)``.
    public static func validate(account: String, name: String?) throws(TokenError) {
        guard account == APIToken.anyAccount || EventRules.isValidAccount(account) else {
            throw .invalidAccount(account)
        }
        if let name, !(1...128).contains(name.count) || !EventRules.isCleanText(name) {
            throw .invalidName(name)
        }
    }
}

public enum TokenError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknown(id: String)
    case invalidAccount(String)
    case invalidName(String)

    public var description: String {
        switch self {
        case .unknown(let id): "no token with id \(id)"
        case .invalidAccount(let account): "account \(account) must be * or match [a-z0-9][a-z0-9_.-]{0,63}"
        case .invalidName(let name): "token name \"\(name)\" must be 1–128 characters without control characters"
        }
    }
}

import LedgerCore

/// A stored token, without its secret (which the ledger never holds, only its SHA-256).
public struct APIToken: Hashable, Sendable {
    /// The account every token bound to all accounts names: a trusted platform service.
    public static let anyAccount = "*"

    /// Public identifier: shown by `token list`, used to revoke, and recorded as the actor of
    /// the reads a token makes. Also embedded in the secret so that logs can name a token
    /// without holding its secret.
    public var id: String
    /// One account, or `*` for all of them.
    public var account: String
    public var scope: TokenScope
    public var name: String?
    public var createdAt: Timestamp
    public var revokedAt: Timestamp?

    public init(id: String, account: String, scope: TokenScope, name: String?, createdAt: Timestamp,
                revokedAt: Timestamp? = nil) {
        self.id = id
        self.account = account
        self.scope = scope
        self.name = name
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { revokedAt != nil }
    public var isBoundToOneAccount: Bool { account != Self.anyAccount }

    /// Whether this token may act on `account` (its own, or any for a `*` token).
    public func covers(account other: String) -> Bool {
        account == Self.anyAccount || account == other
    }
}

/// A token just created: the only time its secret exists outside the client.
public struct IssuedToken: Sendable {
    public var token: APIToken
    public var secret: String

    public init(token: APIToken, secret: String) {
        self.token = token
        self.secret = secret
    }
}

import LedgerStore
import Synchronization

/// Remembers, for at most `lifetime`, which `ingest` token a bearer secret authenticated as, so
/// that a busy ingest client costs one token lookup per `lifetime` instead of one per request
/// (with SQLite, a hop to a reader thread and a query; with a remote store, a round trip). Read
/// and admin tokens come at a person's pace and their requests query the store anyway: they are
/// looked up every time, so revoking one takes effect at once everywhere.
///
/// Revocation: through this repository (the server's `DELETE /v1/tokens/{id}`), it takes effect
/// at once for requests that start after it returns; anywhere else (`auditledger token revoke` in
/// another process, another node), within `lifetime`. Only successful lookups are remembered: an
/// unknown or revoked secret is asked of the store every time, so a token created anywhere works
/// at once and guessing fills nothing. Expired entries are dropped as they are met, so a secret
/// stays in this map little longer than the requests that carried it stay in memory.
public final class CachingTokenRepository: TokenRepository {
    public static let defaultLifetime: Duration = .seconds(1)
    private static let maxEntries = 10_000

    private struct Entry {
        var token: APIToken
        var expires: ContinuousClock.Instant
    }

    private let base: any TokenRepository
    private let lifetime: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let entries = Mutex<[String: Entry]>([:])

    public init(base: any TokenRepository, lifetime: Duration = defaultLifetime,
                now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.base = base
        self.lifetime = lifetime
        self.now = now
    }

    public func authenticate(secret: String) async throws -> APIToken? {
        let at = now()
        let cached: APIToken? = entries.withLock { entries in
            guard let entry = entries[secret] else { return nil }
            if entry.expires > at { return entry.token }
            entries[secret] = nil
            return nil
        }
        if let cached { return cached }
        guard let token = try await base.authenticate(secret: secret) else { return nil }
        guard token.scope == .ingest else { return token }
        entries.withLock { entries in
            if entries.count >= Self.maxEntries { entries.removeAll(keepingCapacity: true) }
            entries[secret] = Entry(token: token, expires: at + lifetime)
        }
        return token
    }

    public func revokeToken(id: String) async throws -> APIToken {
        // Forget first as well as after: a request authenticated between the two sees the
        // store, and the store has the revocation once `base` returns.
        forget(id: id)
        defer { forget(id: id) }
        return try await base.revokeToken(id: id)
    }

    public func createToken(account: String, scope: TokenScope, name: String?) async throws -> IssuedToken {
        try await base.createToken(account: account, scope: scope, name: name)
    }

    public func tokens() async throws -> [APIToken] {
        try await base.tokens()
    }

    private func forget(id: String) {
        entries.withLock { entries in entries = entries.filter { $0.value.token.id != id } }
    }
}

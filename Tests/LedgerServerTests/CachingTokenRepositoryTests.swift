import LedgerCore
import LedgerStore
import Synchronization
import Testing
@testable import LedgerServer

/// How long a token lookup is remembered, and how soon a revocation is seen, on a clock the
/// test moves by hand.
@Suite struct CachingTokenRepositoryTests {
    /// Tokens in memory, counting how often `authenticate` reaches it.
    final class CountingTokens: TokenRepository {
        private let state = Mutex<(tokens: [String: APIToken], lookups: Int)>(([:], 0))

        func add(secret: String, scope: TokenScope) -> APIToken {
            let token = APIToken(id: "id-\(secret)", account: "acme", scope: scope, name: nil,
                                 createdAt: Timestamp(microseconds: 0))
            state.withLock { $0.tokens[secret] = token }
            return token
        }

        var lookups: Int { state.withLock { $0.lookups } }

        /// A revocation made behind the cache's back (another process, another node).
        func revokeElsewhere(secret: String) {
            state.withLock { $0.tokens[secret]?.revokedAt = Timestamp(microseconds: 1) }
        }

        func authenticate(secret: String) async throws -> APIToken? {
            state.withLock { state in
                state.lookups += 1
                return state.tokens[secret].flatMap { $0.isRevoked ? nil : $0 }
            }
        }

        func revokeToken(id: String) async throws -> APIToken {
            try state.withLock { state in
                guard let secret = state.tokens.first(where: { $0.value.id == id })?.key else { throw TokenError.unknown(id: id) }
                state.tokens[secret]?.revokedAt = Timestamp(microseconds: 1)
                return state.tokens[secret]!
            }
        }

        func createToken(account: String, scope: TokenScope, name: String?) async throws -> IssuedToken {
            IssuedToken(token: add(secret: "new", scope: scope), secret: "new")
        }

        func tokens() async throws -> [APIToken] { state.withLock { Array($0.tokens.values) } }
    }

    final class ManualClock: Sendable {
        private let instant = Mutex(ContinuousClock.now)
        var now: ContinuousClock.Instant { instant.withLock { $0 } }
        func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
    }

    @Test func anIngestTokenIsLookedUpOncePerLifetime() async throws {
        let base = CountingTokens()
        let clock = ManualClock()
        let cache = CachingTokenRepository(base: base, lifetime: .seconds(1), now: { clock.now })
        _ = base.add(secret: "s1", scope: .ingest)
        for _ in 0..<5 { #expect(try await cache.authenticate(secret: "s1")?.id == "id-s1") }
        #expect(base.lookups == 1)
        clock.advance(.seconds(1))
        #expect(try await cache.authenticate(secret: "s1") != nil)
        #expect(base.lookups == 2)
    }

    @Test func aRevocationElsewhereIsSeenOnceTheLifetimeHasPassed() async throws {
        let base = CountingTokens()
        let clock = ManualClock()
        let cache = CachingTokenRepository(base: base, lifetime: .seconds(1), now: { clock.now })
        _ = base.add(secret: "s1", scope: .ingest)
        #expect(try await cache.authenticate(secret: "s1") != nil)
        base.revokeElsewhere(secret: "s1")
        clock.advance(.milliseconds(999))
        #expect(try await cache.authenticate(secret: "s1") != nil, "still within the documented bound")
        clock.advance(.milliseconds(1))
        #expect(try await cache.authenticate(secret: "s1") == nil)
    }

    @Test func aRevocationThroughTheCacheTakesEffectAtOnce() async throws {
        let base = CountingTokens()
        let clock = ManualClock()
        let cache = CachingTokenRepository(base: base, lifetime: .seconds(60), now: { clock.now })
        let token = base.add(secret: "s1", scope: .ingest)
        #expect(try await cache.authenticate(secret: "s1") != nil)
        _ = try await cache.revokeToken(id: token.id)
        #expect(try await cache.authenticate(secret: "s1") == nil)
    }

    @Test func readAndAdminTokensAndFailuresAreNeverRemembered() async throws {
        let base = CountingTokens()
        let clock = ManualClock()
        let cache = CachingTokenRepository(base: base, lifetime: .seconds(60), now: { clock.now })
        _ = base.add(secret: "r", scope: .read)
        _ = base.add(secret: "a", scope: .admin)
        for secret in ["r", "a", "unknown"] {
            _ = try await cache.authenticate(secret: secret)
            _ = try await cache.authenticate(secret: secret)
        }
        #expect(base.lookups == 6)
        // So a token created anywhere works at once.
        _ = base.add(secret: "unknown", scope: .ingest)
        #expect(try await cache.authenticate(secret: "unknown") != nil)
    }
}

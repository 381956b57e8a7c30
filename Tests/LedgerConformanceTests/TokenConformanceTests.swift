import LedgerCore
import LedgerStore
import LedgerTestSupport
import Testing

@Suite(.serialized) struct TokenConformanceTests {
    @Test(arguments: Backend.allCases)
    func tokensAreCreatedAuthenticatedListedAndRevoked(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            let reader = try await test.ledger.createToken(account: "acme", scope: .read, name: "dashboard")
            let platform = try await test.ledger.createToken(account: "*", scope: .ingest, name: nil)
            #expect(try await test.ledger.authenticate(secret: reader.secret) == reader.token)
            #expect(try await test.ledger.authenticate(secret: platform.secret) == platform.token)
            #expect(Set(try await test.ledger.tokens().map(\.id)) == [reader.token.id, platform.token.id])

            let revoked = try await test.ledger.revokeToken(id: reader.token.id)
            #expect(revoked.isRevoked)
            // Revoking again keeps the first revocation time.
            #expect(try await test.ledger.revokeToken(id: reader.token.id).revokedAt == revoked.revokedAt)
            #expect(try await test.ledger.authenticate(secret: reader.secret) == nil)
            #expect(try await test.ledger.tokens().first { $0.id == reader.token.id }?.revokedAt == revoked.revokedAt)
            #expect(try await test.ledger.authenticate(secret: platform.secret) != nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func badTokenInputIsRefusedClearly(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            await #expect(throws: TokenError.unknown(id: "0123456789abcdef")) { try await test.ledger.revokeToken(id: "0123456789abcdef") }
            await #expect(throws: TokenError.invalidAccount("Not An Account")) {
                try await test.ledger.createToken(account: "Not An Account", scope: .read, name: nil)
            }
            await #expect(throws: TokenError.invalidName("")) { try await test.ledger.createToken(account: "acme", scope: .read, name: "") }
            let issued = try await test.ledger.createToken(account: "acme", scope: .admin, name: "ops")
            #expect(try await test.ledger.authenticate(secret: "not a token") == nil)
            // Same shape, wrong random part.
            let forged = String(issued.secret.dropLast(3)) + (issued.secret.hasSuffix("AAA") ? "AAE" : "AAA")
            #expect(try await test.ledger.authenticate(secret: forged) == nil)
            await #expect(throws: (any Error).self) { try await test.execute("DELETE FROM tokens") }
        }
    }
}

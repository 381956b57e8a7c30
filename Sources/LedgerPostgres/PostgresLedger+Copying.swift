import LedgerCore
import LedgerStore
import PostgresNIO

/// `auditledger migrate`'s side of the PostgreSQL backend: events and tokens read out exactly as
/// stored, and written into a ledger verbatim (never re-sealed), so every `seq`, hash and
/// signed checkpoint of the source holds on the copy.
extension PostgresLedger: LedgerCopying {
    public func storedEvents(fromSeq: UInt64, limit: Int) async throws -> [CopiedEvent] {
        try await PostgresErrors.completing { [self] in
            try await pool.rows("""
                SELECT e.canonical, k.content_digest FROM events e
                LEFT JOIN idempotency_keys k ON k.account = e.account AND k.client_id = e.client_id
                WHERE e.seq >= \(Int64(clamping: fromSeq)) ORDER BY e.seq LIMIT \(Int64(max(0, limit)))
                """, as: (ByteBuffer, ByteBuffer?).self, logger: logger).map { canonical, digest in
                CopiedEvent(event: try Self.decode(canonical), idempotencyDigest: digest?.byteArray)
            }
        }
    }

    /// Goes through the writer, under the writer lock, so imports and appends of any node stay
    /// one dense history.
    public func importStoredEvents(_ events: [CopiedEvent]) async throws {
        try await writer.importSealed(events)
    }

    public func storedTokens() async throws -> [StoredToken] {
        try await PostgresErrors.completing { [self] in
            try await readTokens("\(unescaped: Self.tokenSelect) ORDER BY t.created_at, t.token_id")
        }
    }

    public func importStoredTokens(_ tokens: [StoredToken]) async throws {
        let held = Dictionary(try await storedTokens().map { ($0.token.id, $0) }, uniquingKeysWith: { first, _ in first })
        var fresh: [StoredToken] = []
        for token in tokens {
            if let existing = held[token.token.id] {
                guard existing == token else { throw CopyError.tokenConflict(id: token.token.id) }
            } else {
                fresh.append(token)
            }
        }
        try await insertTokens(fresh)
    }
}

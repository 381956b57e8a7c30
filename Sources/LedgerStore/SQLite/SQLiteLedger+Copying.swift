import LedgerCore

/// Reading a ledger out exactly as stored, and writing one in without re-sealing: what
/// `auditledger migrate` copies between backends.
extension SQLiteLedger: LedgerCopying {
    public func storedEvents(fromSeq: UInt64, limit: Int) async throws -> [CopiedEvent] {
        guard limit > 0, fromSeq <= UInt64(Int64.max) else { return [] }
        return try await readers.withConnection { connection in
            // Joined on the key's primary key (account, client_id), not on seq, which it has no index for.
            let statement = try connection.statement("""
                SELECT e.canonical, k.content_digest FROM events e
                LEFT JOIN idempotency_keys k ON k.account = e.account AND k.client_id = e.client_id
                WHERE e.seq >= ? ORDER BY e.seq LIMIT ?
                """)
            try statement.bind(1, Int64(max(fromSeq, 1)))
            try statement.bind(2, limit)
            defer { statement.reset() }
            var events: [CopiedEvent] = []
            while try statement.step() {
                events.append(CopiedEvent(event: try Self.decode(statement.blob(0)), idempotencyDigest: statement.blob(1)))
            }
            return events
        }
    }

    public func importStoredEvents(_ events: [CopiedEvent]) async throws {
        guard !events.isEmpty else { return }
        try await withSideWriter { connection in
            var state = WriterState()
            try state.load(connection)
            for copied in events {
                let event = copied.event
                guard event.seq == state.nextSeq else {
                    throw CopyError.notContiguous(expected: state.nextSeq, got: event.seq)
                }
                let canonical = try CopiedEventCheck.canonicalBytes(of: copied)
                let head = try state.head(of: event.content.account, connection)
                try CopiedEventCheck.continuesChain(event, accountSeq: head.accountSeq, previousHash: head.hash)
                try SQLiteEventRows.insert(event, canonical: canonical, idempotencyDigest: copied.idempotencyDigest,
                                           recordName: state.noteName(event.content.name, account: event.content.account),
                                           frontier: &state.frontier, connection)
                state.advance(event.content.account, to: .init(accountSeq: event.accountSeq, hash: event.hash))
            }
            try SQLiteEventRows.mergeFullText(afterAppending: events.count, connection)
        }
    }

    public func storedTokens() async throws -> [StoredToken] {
        let tokens = try await self.tokens()
        let hashes = try await readers.withConnection { connection in
            let statement = try connection.statement("SELECT token_id, secret_hash FROM tokens")
            defer { statement.reset() }
            var hashes: [String: [UInt8]] = [:]
            while try statement.step() {
                if let id = statement.text(0) { hashes[id] = statement.blob(1) ?? [] }
            }
            return hashes
        }
        return tokens.map { StoredToken(token: $0, secretHash: hashes[$0.id] ?? []) }
    }

    public func importStoredTokens(_ tokens: [StoredToken]) async throws {
        let held = Dictionary(try await storedTokens().map { ($0.token.id, $0) }, uniquingKeysWith: { first, _ in first })
        for token in tokens where held[token.token.id] != nil && held[token.token.id] != token {
            throw CopyError.tokenConflict(id: token.token.id)
        }
        let missing = tokens.filter { held[$0.token.id] == nil }
        guard !missing.isEmpty else { return }
        try await withSideWriter { connection in
            let insert = try connection.statement("""
                INSERT INTO tokens (token_id, secret_hash, account, scope, name, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """)
            let revoke = try connection.statement("INSERT INTO token_revocations (token_id, revoked_at) VALUES (?, ?)")
            for stored in missing {
                let token = stored.token
                try insert.bind(1, token.id)
                try insert.bind(2, stored.secretHash)
                try insert.bind(3, token.account)
                try insert.bind(4, token.scope.rawValue)
                try insert.bind(5, token.name)
                try insert.bind(6, token.createdAt.microseconds)
                try insert.run()
                if let revokedAt = token.revokedAt {
                    try revoke.bind(1, token.id)
                    try revoke.bind(2, revokedAt.microseconds)
                    try revoke.run()
                }
            }
        }
    }
}

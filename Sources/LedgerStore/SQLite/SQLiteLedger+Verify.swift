import LedgerCore

extension SQLiteLedger {
    /// Recomputes every event from its stored row, in `seq` order, and reports the first one
    /// whose bytes, hash, columns, account chain or Merkle nodes do not hold. Each stored
    /// checkpoint is checked when the recomputed tree reaches its size (root and signature),
    /// and a checkpoint larger than the ledger reports the first missing `seq`: events that
    /// were signed for and then removed. Also checks `external` checkpoints: notes an auditor
    /// kept outside the database, which still reveal removed events after the stored
    /// checkpoints were removed too.
    public func verify(checkpointVerifier: NoteVerifier?, alsoChecking external: [StoredCheckpoint],
                       progress: (@Sendable (UInt64) -> Void)?) async throws -> VerificationReport {
        try await readers.withConnection { connection in
            try connection.transaction("DEFERRED") {
                let nodes = SQLiteMerkleNodes(connection: connection)
                var verifier = LedgerVerifier(storedNode: { try? nodes.perfectNode(level: $0.level, index: $0.index) })
                verifier.wordFiltersFromSeq = UInt64(self.wordFiltersFromSeq)
                verifier.warnings = try Self.missingTriggerWarnings(connection)
                let identity = try? Self.identity(connection)
                var audit = CheckpointAudit(verifier: checkpointVerifier ?? identity?.verifier, origin: identity?.origin)
                if checkpointVerifier == nil, identity != nil {
                    verifier.warnings.append("checkpoint signatures checked with the verifier key recorded in the database; pass the published key to pin it")
                }
                var checkpoints = try CheckpointRows(connection, external: external)
                let statement = try connection.uncachedStatement("""
                    SELECT seq, account, account_seq, client_id, name, actor_id, occurred_at, received_at,
                           outcome, ip, country_code, city, hash, canonical, words_0, words_1, words_2, words_3
                    FROM events ORDER BY seq
                    """)
                func auditCheckpointsAtCurrentSize() throws -> Bool {
                    while let checkpoint = checkpoints.current, checkpoint.treeSize == verifier.eventsChecked {
                        if let failure = audit.check(checkpoint, recomputed: verifier.treeHead) {
                            verifier.fail(failure)
                            return false
                        }
                        try checkpoints.advance()
                    }
                    return true
                }
                var intact = try auditCheckpointsAtCurrentSize()
                while intact, try statement.step() {
                    let row = EventRow(statement)
                    intact = try verifier.check(row) && auditCheckpointsAtCurrentSize()
                    if let progress, verifier.eventsChecked % 10_000 == 0 { progress(verifier.eventsChecked) }
                }
                return verifier.finish(intact: intact, beyond: checkpoints.current, checkpointsSeen: checkpoints.seen,
                                       audit: audit, progress: progress)
            }
        }
    }

    /// Append-only triggers that are missing: not itself a wrong event, but a ledger an operator
    /// should look at (a deliberate edit needs them dropped first).
    static func missingTriggerWarnings(_ connection: SQLiteConnection) throws -> [String] {
        let statement = try connection.statement("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        var present = Set<String>()
        while try statement.step() { if let name = statement.text(0) { present.insert(name) } }
        statement.reset()
        let expected = ["events", "event_targets", "idempotency_keys", "accounts", "account_names", "merkle_nodes",
                        "checkpoints", "tokens", "token_revocations"]
            .flatMap { ["\($0)_no_update", "\($0)_no_delete"] }
        return expected.filter { !present.contains($0) }.map { "append-only trigger \($0) is missing" }
    }
}

extension EventRow {
    /// The row of `SELECT seq, account, …, canonical, words_0, …, words_3 FROM events` the statement is on.
    init(_ statement: SQLiteStatement) {
        seq = UInt64(statement.int64(0))
        account = statement.text(1)
        accountSeq = statement.int64(2)
        clientID = statement.text(3)
        name = statement.text(4)
        actorID = statement.text(5)
        occurredAt = statement.int64(6)
        receivedAt = statement.int64(7)
        outcome = statement.int64(8)
        ip = statement.blob(9)
        countryCode = statement.text(10)
        city = statement.text(11)
        hash = statement.hash(12)
        canonical = statement.blob(13)
        wordFilterColumns = (Int32(14)..<18).map { statement.isNull($0) ? nil : statement.int64($0) }
    }
}

/// Stored checkpoints in tree-size order, read one at a time beside the events so that verify
/// keeps constant memory however many checkpoints were signed, merged with any given ones.
struct CheckpointRows {
    private let statement: SQLiteStatement
    private var stored: StoredCheckpoint?
    /// Given checkpoints, largest first, so the next one is `last`.
    private var external: [StoredCheckpoint]
    private(set) var seen = 0

    init(_ connection: SQLiteConnection, external: [StoredCheckpoint]) throws {
        statement = try connection.uncachedStatement("SELECT \(SQLiteLedger.checkpointColumns) FROM checkpoints ORDER BY tree_size")
        self.external = external.sorted { $0.treeSize > $1.treeSize }
        stored = try statement.step() ? try SQLiteLedger.checkpoint(statement) : nil
        if current != nil { seen = 1 }
    }

    private var nextIsExternal: Bool {
        guard let candidate = external.last else { return false }
        return stored.map { candidate.treeSize < $0.treeSize } ?? true
    }

    var current: StoredCheckpoint? { nextIsExternal ? external.last : stored }

    mutating func advance() throws {
        if nextIsExternal {
            external.removeLast()
        } else {
            stored = try statement.step() ? try SQLiteLedger.checkpoint(statement) : nil
        }
        if current != nil { seen += 1 }
    }
}

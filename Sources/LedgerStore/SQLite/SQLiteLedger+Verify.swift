import LedgerCore

extension SQLiteLedger {
    /// Verifies with the verifier key the database records (see `LedgerIdentity`); pass one
    /// with `verify(checkpointVerifier:progress:)` to pin it.
    public func verify(progress: (@Sendable (UInt64) -> Void)?) async throws -> VerificationReport {
        try await verify(checkpointVerifier: nil, progress: progress)
    }

    /// Recomputes every event from its stored row, in `seq` order, and reports the first one
    /// whose bytes, hash, columns, account chain or Merkle nodes do not hold. Each stored
    /// checkpoint is checked when the recomputed tree reaches its size (root and signature),
    /// and a checkpoint larger than the ledger reports the first missing `seq`: events that
    /// were signed for and then removed.
    public func verify(checkpointVerifier: NoteVerifier?, progress: (@Sendable (UInt64) -> Void)?) async throws -> VerificationReport {
        try await verify(checkpointVerifier: checkpointVerifier, alsoChecking: [], progress: progress)
    }

    /// The same, also checking `external` checkpoints: notes an auditor kept outside the
    /// database, which still reveal removed events after the stored checkpoints were removed too.
    public func verify(checkpointVerifier: NoteVerifier?, alsoChecking external: [StoredCheckpoint],
                       progress: (@Sendable (UInt64) -> Void)?) async throws -> VerificationReport {
        try await readers.withConnection { connection in
            try connection.transaction("DEFERRED") {
                let nodes = SQLiteMerkleNodes(connection: connection)
                var verifier = LedgerVerifier(storedNode: { try? nodes.perfectNode(level: $0.level, index: $0.index) })
                verifier.warnings = try Self.missingTriggerWarnings(connection)
                let identity = try? Self.identity(connection)
                var audit = CheckpointAudit(verifier: checkpointVerifier ?? identity?.verifier, origin: identity?.origin)
                if checkpointVerifier == nil, identity != nil {
                    verifier.warnings.append("checkpoint signatures checked with the verifier key recorded in the database; pass the published key to pin it")
                }
                var checkpoints = try CheckpointRows(connection, external: external)
                let statement = try connection.uncachedStatement("""
                    SELECT seq, account, account_seq, client_id, name, actor_id, occurred_at, received_at,
                           outcome, ip, country_code, city, hash, canonical
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
                if intact, let beyond = checkpoints.current {
                    verifier.fail(audit.truncation(signed: beyond, ledgerSize: verifier.eventsChecked))
                }
                if audit.verifier == nil, checkpoints.seen > 0 {
                    verifier.warnings.append("no verifier key: checkpoint roots were checked, their signatures were not")
                }
                progress?(verifier.eventsChecked)
                var report = verifier.report
                report.checkpointsChecked = audit.checked
                return report
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

/// One `events` row as stored: the canonical bytes and the columns derived from them.
struct EventRow {
    var seq: UInt64
    var account: String?
    var accountSeq: Int64
    var clientID: String?
    var name: String?
    var actorID: String?
    var occurredAt: Int64
    var receivedAt: Int64
    var outcome: Int64
    var ip: [UInt8]?
    var countryCode: String?
    var city: String?
    var hash: MerkleHash?
    var canonical: [UInt8]?

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
    }
}

/// Checks rows one at a time in `seq` order, keeping each account's chain head and the right
/// edge of the Merkle tree it recomputes.
struct LedgerVerifier {
    private(set) var eventsChecked: UInt64 = 0
    private var frontier = MerkleFrontier()
    /// The stored hash of a perfect subtree (level ≥ 1), or nil when missing.
    let storedNode: (MerkleNodeID) -> MerkleHash?

    init(storedNode: @escaping (MerkleNodeID) -> MerkleHash?) {
        self.storedNode = storedNode
    }
    private var heads: [String: (accountSeq: UInt64, hash: MerkleHash)] = [:]
    private var failure: VerificationFailure?
    var warnings: [String] = []

    /// The recomputed tree head after the events checked so far.
    var treeHead: TreeHead { TreeHead(size: frontier.size, rootHash: frontier.rootHash()) }

    var report: VerificationReport {
        VerificationReport(eventsChecked: eventsChecked, accountsChecked: heads.count, firstFailure: failure, warnings: warnings)
    }

    /// Records a failure found outside the rows (a checkpoint), unless one came first.
    mutating func fail(_ failure: VerificationFailure) {
        if self.failure == nil { self.failure = failure }
    }

    /// Checks one row; false (and a recorded failure) at the first problem.
    mutating func check(_ row: EventRow) -> Bool {
        if let problem = problem(with: row) {
            failure = problem
            return false
        }
        eventsChecked += 1
        return true
    }

    private mutating func problem(with row: EventRow) -> VerificationFailure? {
        let expectedSeq = eventsChecked + 1
        func bad(_ reason: String) -> VerificationFailure { VerificationFailure(seq: expectedSeq, reason: reason) }
        if row.seq != expectedSeq {
            return bad("missing: the next stored event is seq \(row.seq) (events were deleted or seq is not dense)")
        }
        guard let canonical = row.canonical else { return bad("no canonical bytes") }
        let event: StoredEvent
        do {
            event = try CanonicalEncoding.decode(canonical)
        } catch {
            return bad("canonical bytes do not decode: \(error)")
        }
        if row.hash != event.hash { return bad("stored hash does not match the hash of the canonical bytes") }
        if event.seq != row.seq { return bad("canonical bytes say seq \(event.seq)") }
        let content = event.content
        let mismatches = [
            ("account", row.account == content.account),
            ("account_seq", row.accountSeq == Int64(bitPattern: event.accountSeq)),
            ("client_id", row.clientID == content.clientID),
            ("name", row.name == content.name),
            ("actor_id", row.actorID == content.actor.id),
            ("occurred_at", row.occurredAt == content.occurredAt.microseconds),
            ("received_at", row.receivedAt == event.receivedAt.microseconds),
            ("outcome", row.outcome == Int64(content.outcome.rawValue)),
            ("ip", row.ip == content.ip?.bytes16),
            ("country_code", row.countryCode == event.geo.location?.countryCode),
            ("city", row.city == event.geo.location?.city),
        ].filter { !$0.1 }.map(\.0)
        if !mismatches.isEmpty {
            return bad("column(s) \(mismatches.joined(separator: ", ")) differ from the hashed event")
        }
        let head = heads[content.account] ?? (0, StoredEvent.zeroHash)
        if event.accountSeq != head.accountSeq + 1 {
            return bad("account \(content.account): account_seq \(event.accountSeq) follows \(head.accountSeq)")
        }
        if event.previousHash != head.hash {
            return bad("account \(content.account): previous hash does not match event account_seq \(head.accountSeq)")
        }
        heads[content.account] = (event.accountSeq, event.hash)
        return treeProblem(leafHash: event.hash)
    }

    /// Appends the leaf to the recomputed tree and compares the nodes it completes with the
    /// stored ones. The failure names the event that completed a wrong node, as verify always
    /// has; the reason gives the node's range, since an event rewritten together with its hash
    /// column is self-consistent and could be any event under the node.
    private mutating func treeProblem(leafHash: MerkleHash) -> VerificationFailure? {
        let seq = eventsChecked + 1
        do {
            for node in try frontier.append(leafHash: leafHash) where storedNode(node.id) != node.hash {
                let first = node.id.index << UInt64(node.id.level) + 1
                let last = first + (1 << UInt64(node.id.level)) - 1
                return VerificationFailure(
                    seq: seq,
                    reason: "stored Merkle node (level \(node.id.level), index \(node.id.index)) over seq \(first)…\(last) "
                        + "does not match the events under it")
            }
        } catch {
            return VerificationFailure(seq: seq, reason: "Merkle tree: \(error)")
        }
        return nil
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

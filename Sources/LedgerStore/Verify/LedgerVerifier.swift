import LedgerCore

/// Checks rows one at a time in `seq` order, keeping each account's chain head and the right
/// edge of the Merkle tree it recomputes.
package struct LedgerVerifier {
    package private(set) var eventsChecked: UInt64 = 0
    private var frontier = MerkleFrontier()
    /// The stored hash of a perfect subtree (level ≥ 1), or nil when missing.
    package let storedNode: (MerkleNodeID) -> MerkleHash?

    package init(storedNode: @escaping (MerkleNodeID) -> MerkleHash?) {
        self.storedNode = storedNode
    }
    private var heads: [String: (accountSeq: UInt64, hash: MerkleHash)] = [:]
    private var failure: VerificationFailure?
    package var warnings: [String] = []
    /// The first seq stored with a word filter (`SQLiteLedger.wordFiltersFromSeq`): from it on a
    /// row's filter must be its words', before it the columns must be NULL.
    package var wordFiltersFromSeq: UInt64 = 1

    /// The recomputed tree head after the events checked so far.
    package var treeHead: TreeHead { TreeHead(size: frontier.size, rootHash: frontier.rootHash()) }

    package var report: VerificationReport {
        VerificationReport(eventsChecked: eventsChecked, accountsChecked: heads.count, firstFailure: failure, warnings: warnings)
    }

    /// The report once every row was read: a checkpoint still unchecked (`beyond`, signed for
    /// more events than the ledger holds) means events were removed; checkpoints seen without a
    /// verifier key had their roots checked but not their signatures.
    package mutating func finish(intact: Bool, beyond: StoredCheckpoint?, checkpointsSeen: Int, audit: CheckpointAudit,
                                 progress: (@Sendable (UInt64) -> Void)?) -> VerificationReport {
        if intact, let beyond { fail(audit.truncation(signed: beyond, ledgerSize: eventsChecked)) }
        if audit.verifier == nil, checkpointsSeen > 0 {
            warnings.append("no verifier key: checkpoint roots were checked, their signatures were not")
        }
        progress?(eventsChecked)
        var report = report
        report.checkpointsChecked = audit.checked
        return report
    }

    /// Records a failure found outside the rows (a checkpoint), unless one came first.
    package mutating func fail(_ failure: VerificationFailure) {
        if self.failure == nil { self.failure = failure }
    }

    /// Checks one row; false (and a recorded failure) at the first problem.
    package mutating func check(_ row: EventRow) -> Bool {
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
            ("words_0…words_3", row.wordFilterColumns.map { $0 == expectedWordFilter(for: event) } ?? true),
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

    /// The word-filter columns the event's row must hold: its words' filter, or NULLs for an
    /// event stored before the filters. A changed filter would hide the event from full-text search.
    private func expectedWordFilter(for event: StoredEvent) -> [Int64?] {
        guard event.seq >= wordFiltersFromSeq else { return [nil, nil, nil, nil] }
        return WordFilter(document: FullText.document(for: event.content)).columns
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

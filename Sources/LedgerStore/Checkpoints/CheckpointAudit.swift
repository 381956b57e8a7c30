import LedgerCore

/// `verify`'s judgement of stored checkpoints against the tree it recomputes from the events.
///
/// A checkpoint is the ledger's signed promise about its first N events; the recomputed tree
/// either still keeps it or the events were changed. Failures keep the report's "first bad
/// seq" meaning as far as a root allows: a root mismatch can only say that something in the
/// events since the last checkpoint that matched differs, so it names the first of them.
package struct CheckpointAudit {
    /// Checks signatures when known; without one only roots are compared.
    package let verifier: NoteVerifier?
    /// The ledger's recorded origin, which every checkpoint must carry.
    package let origin: String?
    package private(set) var checked = 0
    /// The largest checkpoint size whose root the events still produce.
    private var lastMatchedSize: UInt64 = 0

    package init(verifier: NoteVerifier?, origin: String?) {
        self.verifier = verifier
        self.origin = origin
    }

    /// Checks `checkpoint` against `recomputed`, the tree head of the events up to its size.
    package mutating func check(_ checkpoint: StoredCheckpoint, recomputed: TreeHead) -> VerificationFailure? {
        let size = checkpoint.treeSize
        do {
            let note = try verifier.map { try checkpoint.verified(by: $0, origin: origin) } ?? checkpoint.unverified()
            if verifier == nil, let origin, note.origin != origin {
                throw NoteError.unexpectedOrigin(expected: origin, actual: note.origin)
            }
        } catch {
            return VerificationFailure(seq: size, reason: "checkpoint at tree size \(size) is not a valid signed checkpoint of this ledger: \(error)")
        }
        guard recomputed.size == size, recomputed.rootHash == checkpoint.rootHash else {
            return VerificationFailure(
                seq: lastMatchedSize + 1,
                reason: "the events up to seq \(size) do not hash to the root signed in checkpoint \(size): "
                    + "the ledger was rewritten somewhere in seq \(lastMatchedSize + 1)…\(size)")
        }
        lastMatchedSize = size
        checked += 1
        return nil
    }

    /// The failure for a checkpoint larger than the ledger: events that were signed for are gone.
    package func truncation(signed checkpoint: StoredCheckpoint, ledgerSize: UInt64) -> VerificationFailure {
        VerificationFailure(
            seq: ledgerSize + 1,
            reason: "missing: checkpoint \(checkpoint.treeSize) was signed over seq 1…\(checkpoint.treeSize) "
                + "but the ledger ends at seq \(ledgerSize) (events were removed after they were checkpointed)")
    }
}

import LedgerCore

/// What `auditledger migrate` needs of a backend, beyond ``LedgerRepository``: to read a
/// ledger out exactly as stored and to write it into an empty one without re-sealing anything.
///
/// A copy keeps every `seq`, `received_at`, hash and signed checkpoint, so the copy has the
/// same tree and every checkpoint signed on the source still verifies on the copy.
public protocol LedgerCopying: LedgerRepository, TokenRepository {
    /// Stored events with `seq >= fromSeq`, in `seq` order, at most `limit` of them.
    func storedEvents(fromSeq: UInt64, limit: Int) async throws -> [CopiedEvent]

    /// Appends already-sealed events verbatim, in one transaction: the first must be the next
    /// `seq` of this ledger, each must hash to its stored hash and continue its account's chain.
    /// Derived rows (indexes, full text, targets, idempotency keys, Merkle nodes) are rebuilt
    /// from the events. Throws ``CopyError`` and stores nothing of the batch otherwise.
    func importStoredEvents(_ events: [CopiedEvent]) async throws

    /// Every token as stored: its hash, never a secret; revoked ones with their revocation.
    func storedTokens() async throws -> [StoredToken]

    /// Stores tokens verbatim (a token id already held with the same record is skipped).
    func importStoredTokens(_ tokens: [StoredToken]) async throws
}

/// An event as stored, with the idempotency digest its client id was recorded with.
///
/// The digest cannot be recomputed from the event: it leaves out a defaulted `occurred_at`
/// (see `NewEvent`), and the stored event does not say whether the client gave one. Copying it
/// keeps a retry that reaches the copy a replay rather than a conflict.
public struct CopiedEvent: Hashable, Sendable {
    public var event: StoredEvent
    /// The `content_digest` of the event's idempotency key; nil when it has no client id.
    public var idempotencyDigest: [UInt8]?

    public init(event: StoredEvent, idempotencyDigest: [UInt8]?) {
        self.event = event
        self.idempotencyDigest = idempotencyDigest
    }
}

/// A token as the ledger keeps it: the public record and the SHA-256 of its secret.
public struct StoredToken: Hashable, Sendable {
    public var token: APIToken
    public var secretHash: [UInt8]

    public init(token: APIToken, secretHash: [UInt8]) {
        self.token = token
        self.secretHash = secretHash
    }
}

public enum CopyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The batch does not start at the ledger's next `seq`, or skips one.
    case notContiguous(expected: UInt64, got: UInt64)
    /// The event's canonical bytes do not hash to its hash, or it does not continue its chain.
    case brokenEvent(seq: UInt64, reason: String)
    /// A token id is held with a different record.
    case tokenConflict(id: String)

    public var description: String {
        switch self {
        case .notContiguous(let expected, let got): "expected seq \(expected) next, got \(got)"
        case .brokenEvent(let seq, let reason): "seq \(seq): \(reason)"
        case .tokenConflict(let id): "token \(id) already exists with a different record"
        }
    }
}

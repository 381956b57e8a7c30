import LedgerCore

/// The ledger's storage: what every backend (SQLite now, PostgreSQL later) provides.
///
/// Backends are `Sendable` and safe to call from many tasks at once. Appends are atomic per
/// call and durable when they return; reads see a consistent snapshot.
public protocol LedgerRepository: Sendable {
    /// Stores the events in order, atomically: all of them, or none.
    ///
    /// Returns only after the events are durably committed. An event whose `id` the account
    /// already holds with the same content is not stored again: its original receipt comes
    /// back with `replayed` set. If any event's `id` is held with different content, nothing
    /// is stored and `AppendError.conflicts` lists them.
    func append(_ events: [NewEvent]) async throws -> [AppendReceipt]

    /// One event of an account by its global `seq`, or nil.
    func event(account: String, seq: UInt64) async throws -> StoredEvent?

    /// One event of an account by the client's `id`, or nil.
    func event(account: String, clientID: String) async throws -> StoredEvent?

    /// One page of events matching `query`, newest first.
    func search(_ query: SearchQuery) async throws -> SearchPage

    /// A stream of an account's events in chain order, for export.
    func export(_ request: ExportRequest) async throws -> any EventExportCursor

    /// Recomputes every event's hash and chain, the Merkle tree and the checkpoints.
    func verify(progress: (@Sendable (UInt64) -> Void)?) async throws -> VerificationReport

    func status() async throws -> LedgerStatus

    /// The Merkle tree over every event in `seq` order, as it stands now.
    func treeHead() async throws -> TreeHead

    /// The root of the tree as it was at `treeSize` events.
    func root(treeSize: UInt64) async throws -> MerkleHash

    /// The RFC 9162 inclusion proof of event `seq` in the tree of `treeSize` events.
    func inclusionProof(seq: UInt64, treeSize: UInt64) async throws -> [MerkleHash]

    /// The RFC 9162 consistency proof between two sizes of the tree.
    func consistencyProof(from firstSize: UInt64, to secondSize: UInt64) async throws -> [MerkleHash]

    /// Stops accepting appends, lets in-flight commits finish, and releases the database.
    func close() async

    // MARK: Signed checkpoints and the ledger's signing identity (issue 5)

    /// The origin and verifier key the ledger's checkpoints are signed with; nil until set.
    func identity() async throws -> LedgerIdentity?

    /// Records the ledger's identity, once. Setting the same identity again is a no-op.
    /// - Throws: ``CheckpointError/identityAlreadySet(origin:)`` for a different one.
    func setIdentity(_ identity: LedgerIdentity) async throws

    /// The hash of event `seq` (leaf `seq - 1`), whatever its account; nil past the end.
    func leafHash(seq: UInt64) async throws -> MerkleHash?

    /// The checkpoint with the largest tree size, or nil when none was signed.
    func latestCheckpoint() async throws -> StoredCheckpoint?

    /// The first checkpoint whose tree size is at least `treeSize` (the smallest signed tree
    /// that contains event `treeSize`), or nil.
    func checkpoint(atLeast treeSize: UInt64) async throws -> StoredCheckpoint?

    /// Checkpoints in tree-size order, starting above `afterTreeSize` (nil: from the first).
    func checkpoints(after afterTreeSize: UInt64?, limit: Int) async throws -> [StoredCheckpoint]

    /// Stores a signed checkpoint, append-only. Refuses (``CheckpointError``) unless the latest
    /// stored checkpoint is still `previousTreeSize` (so concurrent signers cannot interleave),
    /// the new size is larger, and `checkpoint.rootHash` is the stored tree's root at its size.
    func appendCheckpoint(_ checkpoint: StoredCheckpoint, previousTreeSize: UInt64?) async throws

    /// `verify(progress:)`, checking checkpoint signatures with `checkpointVerifier` instead of
    /// the verifier key the database records.
    func verify(checkpointVerifier: NoteVerifier?, progress: (@Sendable (UInt64) -> Void)?) async throws -> VerificationReport

    /// The same, also checking `external` checkpoints: notes an auditor kept outside the
    /// database, which still reveal removed events after the stored checkpoints were removed too.
    func verify(checkpointVerifier: NoteVerifier?, alsoChecking external: [StoredCheckpoint],
                progress: (@Sendable (UInt64) -> Void)?) async throws -> VerificationReport
}

extension LedgerRepository {
    /// Verifies with the verifier key the database records (see `LedgerIdentity`).
    public func verify(progress: (@Sendable (UInt64) -> Void)?) async throws -> VerificationReport {
        try await verify(checkpointVerifier: nil, alsoChecking: [], progress: progress)
    }

    public func verify(checkpointVerifier: NoteVerifier?, progress: (@Sendable (UInt64) -> Void)?) async throws -> VerificationReport {
        try await verify(checkpointVerifier: checkpointVerifier, alsoChecking: [], progress: progress)
    }
}

/// What the ledger says about one appended event.
public struct AppendReceipt: Hashable, Sendable {
    public var clientID: String?
    public var seq: UInt64
    public var accountSeq: UInt64
    public var hash: MerkleHash
    /// True when the event was already stored (an idempotent retry).
    public var replayed: Bool

    public init(clientID: String?, seq: UInt64, accountSeq: UInt64, hash: MerkleHash, replayed: Bool) {
        self.clientID = clientID
        self.seq = seq
        self.accountSeq = accountSeq
        self.hash = hash
        self.replayed = replayed
    }
}

public enum AppendError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Events whose `id` the account already holds with different content: (index in batch, id).
    case conflicts([IdempotencyConflict])
    /// The store is shutting down and takes no more appends.
    case closed

    public var description: String {
        switch self {
        case .conflicts(let conflicts):
            "\(conflicts.count) event id(s) already used with different content: "
                + conflicts.map { "#\($0.index) \($0.clientID)" }.joined(separator: ", ")
        case .closed: "the ledger is shutting down"
        }
    }
}

public struct IdempotencyConflict: Hashable, Sendable {
    public var index: Int
    public var clientID: String
    /// The `seq` of the event that holds the id.
    public var existingSeq: UInt64?

    public init(index: Int, clientID: String, existingSeq: UInt64?) {
        self.index = index
        self.clientID = clientID
        self.existingSeq = existingSeq
    }
}

public struct SearchPage: Sendable {
    public var events: [StoredEvent]
    /// The cursor for the next (older) page; nil on the last page.
    public var nextCursor: SearchCursor?

    public init(events: [StoredEvent], nextCursor: SearchCursor?) {
        self.events = events
        self.nextCursor = nextCursor
    }
}

/// An account's events received in `[from, to)`, in chain order (`account_seq` ascending).
///
/// The range is on the ledger's own receive time rather than the client-claimed `occurred_at`,
/// so that an export is always a contiguous slice of the account's chain: an auditor can check
/// it for gaps on its own.
public struct ExportRequest: Hashable, Sendable {
    public var account: String
    public var receivedFrom: Timestamp?
    public var receivedTo: Timestamp?

    public init(account: String, receivedFrom: Timestamp? = nil, receivedTo: Timestamp? = nil) {
        self.account = account
        self.receivedFrom = receivedFrom
        self.receivedTo = receivedTo
    }
}

/// A forward-only export stream. Holds a read snapshot until closed; memory stays constant
/// whatever the export's size.
public protocol EventExportCursor: Sendable {
    /// Up to `count` more events; empty when the export is complete.
    func next(_ count: Int) async throws -> [StoredEvent]
    func close() async
}

public struct VerificationReport: Sendable, Hashable {
    public var eventsChecked: UInt64
    public var accountsChecked: Int
    /// The first problem found, by `seq`; nil when everything verifies.
    public var firstFailure: VerificationFailure?
    /// Problems that do not make a stored event wrong, such as missing append-only triggers.
    public var warnings: [String] = []
    /// Signed checkpoints whose root and signature were checked against the recomputed tree.
    public var checkpointsChecked = 0

    public var passed: Bool { firstFailure == nil }
}

public struct VerificationFailure: Sendable, Hashable, CustomStringConvertible {
    public var seq: UInt64
    public var reason: String

    public var description: String { "seq \(seq): \(reason)" }
}

public struct LedgerStatus: Sendable, Hashable {
    public var events: UInt64
    public var accounts: Int
    public var databaseBytes: Int64
    public var lastReceivedAt: Timestamp?
    public var tree: TreeHead

    public init(events: UInt64, accounts: Int, databaseBytes: Int64, lastReceivedAt: Timestamp?, tree: TreeHead) {
        self.events = events
        self.accounts = accounts
        self.databaseBytes = databaseBytes
        self.lastReceivedAt = lastReceivedAt
        self.tree = tree
    }
}

/// A size of the Merkle tree and its root hash.
public struct TreeHead: Hashable, Sendable {
    public var size: UInt64
    public var rootHash: MerkleHash

    public init(size: UInt64, rootHash: MerkleHash) {
        self.size = size
        self.rootHash = rootHash
    }
}

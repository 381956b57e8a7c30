import Foundation
import LedgerCore

/// A ledger that writes to its primary and reads from a replica of it (a PostgreSQL streaming
/// replica), for nodes that serve reads near their users.
///
/// A replica trails its primary. So that a node never answers from an older state than its
/// own writes made (the `auditledger.search` record a read appends, an event it just
/// acknowledged), every read first waits until the replica's tree holds the last `seq` this
/// node appended, and fails with ``ReplicaLagError`` past `maxLag`.
public final class ReplicaReadLedger: LedgerRepository {
    public let primary: any LedgerRepository
    public let replica: any LedgerRepository
    private let maxLag: Duration
    private let lastWritten = LastWrittenSeq()

    public init(primary: any LedgerRepository, replica: any LedgerRepository, maxLag: Duration = .seconds(5)) {
        self.primary = primary
        self.replica = replica
        self.maxLag = maxLag
    }

    // MARK: Writes go to the primary

    public func append(_ events: [NewEvent]) async throws -> [AppendReceipt] {
        let receipts = try await primary.append(events)
        if let last = receipts.map(\.seq).max() { lastWritten.raise(to: last) }
        return receipts
    }

    public func setIdentity(_ identity: LedgerIdentity) async throws {
        try await primary.setIdentity(identity)
    }

    public func appendCheckpoint(_ checkpoint: StoredCheckpoint, previousTreeSize: UInt64?) async throws {
        try await primary.appendCheckpoint(checkpoint, previousTreeSize: previousTreeSize)
    }

    public func close() async {
        await primary.close()
        await replica.close()
    }

    // MARK: Reads come from the replica, once it holds this node's writes

    /// Waits until the replica's tree holds every event this node appended.
    func caughtUpReplica() async throws -> any LedgerRepository {
        let target = lastWritten.value
        guard target > 0 else { return replica }
        let deadline = ContinuousClock.now + maxLag
        var pause = Duration.milliseconds(2)
        while true {
            let size = try await replica.treeHead().size
            if size >= target { return replica }
            guard ContinuousClock.now < deadline else { throw ReplicaLagError(replicaSize: size, needed: target, waited: maxLag) }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(100))
        }
    }

    public func event(account: String, seq: UInt64) async throws -> StoredEvent? {
        try await caughtUpReplica().event(account: account, seq: seq)
    }

    public func event(account: String, clientID: String) async throws -> StoredEvent? {
        try await caughtUpReplica().event(account: account, clientID: clientID)
    }

    public func search(_ query: SearchQuery) async throws -> SearchPage {
        try await caughtUpReplica().search(query)
    }

    public func export(_ request: ExportRequest) async throws -> any EventExportCursor {
        try await caughtUpReplica().export(request)
    }

    public func verify(checkpointVerifier: NoteVerifier?, alsoChecking external: [StoredCheckpoint],
                       progress: (@Sendable (UInt64) -> Void)?) async throws -> VerificationReport {
        try await caughtUpReplica().verify(checkpointVerifier: checkpointVerifier, alsoChecking: external, progress: progress)
    }

    public func status() async throws -> LedgerStatus {
        try await caughtUpReplica().status()
    }

    public func treeHead() async throws -> TreeHead {
        try await caughtUpReplica().treeHead()
    }

    public func root(treeSize: UInt64) async throws -> MerkleHash {
        try await caughtUpReplica().root(treeSize: treeSize)
    }

    public func inclusionProof(seq: UInt64, treeSize: UInt64) async throws -> [MerkleHash] {
        try await caughtUpReplica().inclusionProof(seq: seq, treeSize: treeSize)
    }

    public func consistencyProof(from firstSize: UInt64, to secondSize: UInt64) async throws -> [MerkleHash] {
        try await caughtUpReplica().consistencyProof(from: firstSize, to: secondSize)
    }

    public func leafHash(seq: UInt64) async throws -> MerkleHash? {
        try await caughtUpReplica().leafHash(seq: seq)
    }

    // MARK: Identity and checkpoints come from the primary
    //
    // Signing compares the latest checkpoint with the tree and stores the next one on the
    // primary; reading either from a trailing replica would make it refuse or retry in vain.

    public func identity() async throws -> LedgerIdentity? {
        try await primary.identity()
    }

    public func latestCheckpoint() async throws -> StoredCheckpoint? {
        try await primary.latestCheckpoint()
    }

    public func checkpoint(atLeast treeSize: UInt64) async throws -> StoredCheckpoint? {
        try await primary.checkpoint(atLeast: treeSize)
    }

    public func checkpoints(after afterTreeSize: UInt64?, limit: Int) async throws -> [StoredCheckpoint] {
        try await primary.checkpoints(after: afterTreeSize, limit: limit)
    }
}

/// The replica did not reach the node's last write in time.
public struct ReplicaLagError: Error, CustomStringConvertible {
    public var replicaSize: UInt64
    public var needed: UInt64
    public var waited: Duration

    public var description: String {
        "the read replica holds \(replicaSize) events, this node has written up to \(needed); gave up after \(waited)"
    }
}

/// The largest `seq` this node appended: raised by writers, read before every read.
private final class LastWrittenSeq: @unchecked Sendable {
    private let lock = NSLock()
    private var seq: UInt64 = 0

    var value: UInt64 { lock.withLock { seq } }

    func raise(to newValue: UInt64) {
        lock.withLock { seq = max(seq, newValue) }
    }
}

import LedgerCore
import LedgerStore

/// The ledger's signed checkpoints as the API serves them: `GET/POST /v1/checkpoint`, the
/// default tree size of inclusion proofs, the checkpoint in export manifests, and `GET /v1/key`.
/// A protocol so that the routes depend on what they ask for, not on how signing is done.
public protocol CheckpointProviding: Sendable {
    /// The key every served checkpoint verifies with; clients pin it from `GET /v1/key`.
    var verifier: NoteVerifier { get }

    /// The latest signed checkpoint; when the ledger has none yet, one of the current tree,
    /// signed now.
    func latest() async throws -> StoredCheckpoint

    /// The first stored checkpoint whose tree size is at least `treeSize`, or nil.
    func checkpoint(atLeast treeSize: UInt64) async throws -> StoredCheckpoint?

    /// Signs the current tree now. `isNew` is false when the latest checkpoint already covered
    /// the whole tree (then that one is returned and nothing is signed).
    func signNow() async throws -> (checkpoint: StoredCheckpoint, isNew: Bool)

    /// A checkpoint that contains event `seq` (the latest, or one signed now when the latest
    /// predates the event) and the RFC 9162 inclusion proof of `seq` in it.
    func inclusion(of seq: UInt64) async throws -> (checkpoint: StoredCheckpoint, proof: [MerkleHash])
}

/// Checkpoints signed by the ledger's own key through `CheckpointService`, which proves each
/// new tree consistent with the latest checkpoint before signing it and signs one at a time
/// (the scheduler and HTTP requests share the one service).
public struct SignedCheckpoints: CheckpointProviding {
    public let service: CheckpointService
    public let verifier: NoteVerifier
    private let repository: any LedgerRepository

    public init(service: CheckpointService) async {
        self.service = service
        verifier = await service.verifier
        repository = await service.repository
    }

    public func latest() async throws -> StoredCheckpoint {
        if let latest = try await repository.latestCheckpoint() { return latest }
        return try await service.checkpoint()
    }

    public func checkpoint(atLeast treeSize: UInt64) async throws -> StoredCheckpoint? {
        try await repository.checkpoint(atLeast: treeSize)
    }

    public func signNow() async throws -> (checkpoint: StoredCheckpoint, isNew: Bool) {
        let before = try await repository.latestCheckpoint()
        let checkpoint = try await service.checkpoint()
        return (checkpoint, before.map { $0.treeSize < checkpoint.treeSize } ?? true)
    }

    public func inclusion(of seq: UInt64) async throws -> (checkpoint: StoredCheckpoint, proof: [MerkleHash]) {
        try await service.inclusion(of: seq)
    }
}

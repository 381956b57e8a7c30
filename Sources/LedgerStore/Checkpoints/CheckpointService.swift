import Foundation
import LedgerCore

/// Signs the ledger's tree head as a C2SP checkpoint, on demand or for the scheduler.
///
/// Before signing it proves that the current tree extends the latest signed one (an RFC 9162
/// consistency proof checked with `MerkleVerifier`), so the ledger never signs a history that
/// contradicts one it signed before; a tree smaller than the latest checkpoint is refused.
/// An actor, so the server's scheduler and its HTTP handlers sign one at a time; signers in
/// other processes are kept apart by `appendCheckpoint`'s check of the previous size.
public actor CheckpointService {
    public let repository: any LedgerRepository
    public let signer: CheckpointSigner
    private let clock: @Sendable () -> Timestamp

    /// Checks that `signer` is the ledger's key before anything is signed.
    /// - Throws: ``CheckpointError/noIdentity`` or ``CheckpointError/wrongKey(keyName:ledgerOrigin:)``.
    public init(repository: any LedgerRepository, signer: NoteSigner,
                clock: @escaping @Sendable () -> Timestamp = Timestamp.systemNow) async throws {
        guard let identity = try await repository.identity() else { throw CheckpointError.noIdentity }
        guard identity.matches(signer) else { throw CheckpointError.wrongKey(keyName: signer.name, ledgerOrigin: identity.origin) }
        self.repository = repository
        self.signer = CheckpointSigner(signer: signer)
        self.clock = clock
    }

    public var verifier: NoteVerifier { signer.signer.verifier }

    /// How often a signer tries before it reports losing to another signer (about 0.2 s of
    /// pauses in the worst case).
    static let signingAttempts = 16

    /// A signed checkpoint of the tree as it is now; the latest one when no event arrived since.
    public func checkpoint() async throws -> StoredCheckpoint {
        try await checkpoint(covering: nil)
    }

    /// The latest checkpoint when it already contains event `seq`, otherwise a new one of the
    /// current tree (which does). Exports use this, so they sign only when they must.
    public func checkpoint(covering seq: UInt64?) async throws -> StoredCheckpoint {
        // A signer in another process may store a checkpoint between our read and our write;
        // then read again and start over. Losing means another signer made progress, so this
        // cannot livelock for long, but two signers that keep colliding in lock step would: a
        // random pause that grows with each attempt breaks the step.
        for attempt in 1..<Self.signingAttempts {
            do {
                return try await signIfNeeded(covering: seq)
            } catch CheckpointError.notLatest {
                try await Task.sleep(for: .microseconds(Int.random(in: 500...2_000) * attempt))
            }
        }
        return try await signIfNeeded(covering: seq)
    }

    /// A checkpoint that contains event `seq` (the latest, or a new one of the current tree)
    /// and the RFC 9162 inclusion proof of `seq` in it: what export manifests carry.
    public func inclusion(of seq: UInt64) async throws -> (checkpoint: StoredCheckpoint, proof: [MerkleHash]) {
        let checkpoint = try await checkpoint(covering: seq)
        guard checkpoint.treeSize >= seq else { throw TreeSizeError(requested: seq, current: checkpoint.treeSize) }
        return (checkpoint, try await repository.inclusionProof(seq: seq, treeSize: checkpoint.treeSize))
    }

    private func signIfNeeded(covering seq: UInt64?) async throws -> StoredCheckpoint {
        let previous = try await repository.latestCheckpoint()
        if let previous, let seq, previous.treeSize >= seq { return previous }
        let head = try await repository.treeHead()
        if let previous {
            // The previous checkpoint must itself be ours and intact before we extend it.
            _ = try previous.verified(by: verifier)
            guard head.size >= previous.treeSize else {
                throw CheckpointError.treeShrank(checkpointSize: previous.treeSize, currentSize: head.size)
            }
            if head.size == previous.treeSize {
                guard head.rootHash == previous.rootHash else {
                    throw CheckpointError.inconsistent(previousSize: previous.treeSize, currentSize: head.size)
                }
                return previous
            }
            let proof = try await repository.consistencyProof(from: previous.treeSize, to: head.size)
            guard MerkleVerifier.verifyConsistency(firstSize: previous.treeSize, secondSize: head.size,
                                                   firstRoot: previous.rootHash, secondRoot: head.rootHash, proof: proof) else {
                throw CheckpointError.inconsistent(previousSize: previous.treeSize, currentSize: head.size)
            }
        }
        let now = clock()
        let note = try signer.sign(treeSize: head.size, rootHash: head.rootHash,
                                   time: Date(timeIntervalSince1970: TimeInterval(now.microseconds / 1_000_000)))
        let stored = StoredCheckpoint(treeSize: head.size, rootHash: head.rootHash, signedNote: note.serialized, createdAt: now)
        try await repository.appendCheckpoint(stored, previousTreeSize: previous?.treeSize)
        return stored
    }
}

import LedgerCore
import LedgerStore
import LedgerTestSupport

/// The ledger's signing key in the checkpoint tests.
enum TestSigner {
    static let signer = try! NoteSigner(name: "ledger.test/checkpoints", seed: [UInt8](repeating: 3, count: 32))

    /// A checkpoint row signed with `signer` (or `by`) for `size` and `root`.
    static func row(_ size: UInt64, _ root: MerkleHash, by key: NoteSigner = signer) throws -> StoredCheckpoint {
        let note = try CheckpointSigner(signer: key).sign(treeSize: size, rootHash: root)
        return StoredCheckpoint(treeSize: size, rootHash: root, signedNote: note.serialized, createdAt: FixedClock.start)
    }
}

extension LedgerFixture {
    /// Records the test signer as the ledger's identity and returns a checkpoint service for it.
    func checkpointService() async throws -> CheckpointService {
        try await ledger.setIdentity(LedgerIdentity(signer: TestSigner.signer))
        return try await CheckpointService(repository: ledger, signer: TestSigner.signer, clock: { FixedClock.start })
    }

    /// Appends `count` realistic events in atomic batches of `batchSize`.
    func append(_ count: Int, batchSize: Int = 10, seed: UInt64 = 1) async throws {
        try await ledger.appendRandomEvents(count, batchSize: batchSize, seed: seed)
    }

    /// Inserts a checkpoint row directly, bypassing every check (as an attacker would).
    func insertCheckpointRow(_ checkpoint: StoredCheckpoint) async throws {
        try await execute("""
            INSERT INTO checkpoints (tree_size, root_hash, signed_note, created_at)
            VALUES (\(checkpoint.treeSize), \(blob(checkpoint.rootHash.bytes)), '\(checkpoint.signedNote.replacingOccurrences(of: "'", with: "''"))', 0)
            """)
    }
}

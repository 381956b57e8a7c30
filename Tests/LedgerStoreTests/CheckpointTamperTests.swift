import Foundation
import LedgerCore
import LedgerTestSupport
@testable import LedgerStore
import Testing

/// Tampering only a database file allows (an older copy put back); the edits any backend
/// allows are in LedgerConformanceTests.
@Suite struct CheckpointTamperTests {
    static func verify(_ path: String, verifier: NoteVerifier? = SignedLedger.signer.verifier) async throws -> VerificationReport {
        let ledger = try SQLiteLedger(path: path, create: false)
        let report = try await ledger.verify(checkpointVerifier: verifier, progress: nil)
        await ledger.close()
        return report
    }

    /// The database put back to an older copy, with the newer checkpoint rows carried over.
    @Test func anOlderCopyPutBackUnderANewerCheckpoint() async throws {
        let signed = try await SignedLedger()
        try await signed.append(20)
        _ = try await signed.service.checkpoint()
        await signed.ledger.close()
        let old = signed.test.directory.appendingPathComponent("old.sqlite").path
        try FileManager.default.copyItem(atPath: signed.test.path, toPath: old)

        let reopened = try SQLiteLedger(path: signed.test.path, create: false)
        var factory = EventFactory(seed: 9)
        _ = try await reopened.append((0..<10).map { _ in factory.event() })
        let service = try await CheckpointService(repository: reopened, signer: SignedLedger.signer, clock: { FixedClock.start })
        let newer = try await service.checkpoint()
        await reopened.close()
        #expect(newer.treeSize == 30)

        let connection = try SQLiteConnection(path: old)
        let insert = try connection.statement("INSERT INTO checkpoints (tree_size, root_hash, signed_note, created_at) VALUES (?, ?, ?, ?)")
        try insert.bind(1, Int64(newer.treeSize))
        try insert.bind(2, newer.rootHash)
        try insert.bind(3, newer.signedNote)
        try insert.bind(4, newer.createdAt.microseconds)
        try insert.run()
        let report = try await Self.verify(old)
        #expect(report.firstFailure?.seq == 21)
        #expect(report.firstFailure?.reason.contains("missing") == true)
    }

}

import Foundation
import LedgerCore
@testable import LedgerStore
import Testing

/// Edits an attacker with write access to the database file could make, and the first bad
/// `seq` that `verify` must name for each.
@Suite struct CheckpointTamperTests {
    /// 30 events, checkpoints at 20 and 30, then closed so the file can be edited.
    static func ledger() async throws -> SignedLedger {
        let signed = try await SignedLedger()
        try await signed.append(20)
        _ = try await signed.service.checkpoint()
        try await signed.append(10, seed: 2)
        _ = try await signed.service.checkpoint()
        await signed.ledger.close()
        return signed
    }

    static func verify(_ path: String, verifier: NoteVerifier? = SignedLedger.signer.verifier) async throws -> VerificationReport {
        let ledger = try SQLiteLedger(path: path, create: false)
        let report = try await ledger.verify(checkpointVerifier: verifier, progress: nil)
        await ledger.close()
        return report
    }

    @Test func anUntouchedLedgerVerifiesWithItsCheckpoints() async throws {
        let signed = try await Self.ledger()
        let report = try await Self.verify(signed.test.path)
        #expect(report.passed)
        #expect(report.eventsChecked == 30 && report.checkpointsChecked == 2)
        // Without a pinned key the recorded one is used, and the report says so.
        let recorded = try await Self.verify(signed.test.path, verifier: nil)
        #expect(recorded.passed && recorded.checkpointsChecked == 2)
        #expect(recorded.warnings.contains { $0.contains("recorded in the database") })
    }

    @Test func aRowEditedWithRawSQL() async throws {
        let signed = try await Self.ledger()
        try signed.tamper("DROP TRIGGER events_no_update; UPDATE events SET actor_id = 'mallory' WHERE seq = 12;")
        let report = try await Self.verify(signed.test.path)
        #expect(report.firstFailure?.seq == 12)
        #expect(report.firstFailure?.reason.contains("actor_id") == true)
    }

    @Test func aRowRewrittenWithARecomputedHash() async throws {
        let signed = try await Self.ledger()
        let connection = try SQLiteConnection(path: signed.test.path)
        let read = try connection.statement("SELECT canonical FROM events WHERE seq = 7")
        _ = try read.step()
        var event = try CanonicalEncoding.decode(try #require(read.blob(0)))
        read.reset()
        event.content.description = "nothing to see"
        let forged = StoredEvent.seal(seq: event.seq, accountSeq: event.accountSeq, receivedAt: event.receivedAt,
                                      content: event.content, geo: event.geo, previousHash: event.previousHash)
        try connection.execute("DROP TRIGGER events_no_update")
        let write = try connection.statement("UPDATE events SET canonical = ?, hash = ? WHERE seq = 7")
        try write.bind(1, forged.canonicalBytes)
        try write.bind(2, forged.event.hash)
        try write.run()
        let report = try await Self.verify(signed.test.path)
        // Event 7 is self-consistent: it is caught by the first event that contradicts it, at
        // most one later (its level-1 node over 7…8 completes at 8).
        let failure = try #require(report.firstFailure)
        #expect(failure.seq == 8)
        #expect(failure.reason.contains("previous hash does not match") || failure.reason.contains("over seq 7…8"), "\(failure)")
    }

    @Test func aRowDeletedAfterDroppingTheTriggers() async throws {
        let signed = try await Self.ledger()
        try signed.tamper("DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 17;")
        let report = try await Self.verify(signed.test.path)
        #expect(report.firstFailure?.seq == 17)
        #expect(report.firstFailure?.reason.contains("missing") == true)
        #expect(report.warnings.contains("append-only trigger events_no_delete is missing"))
    }

    @Test func twoRowsSwapped() async throws {
        let signed = try await Self.ledger()
        try signed.tamper("""
            DROP TRIGGER events_no_update;
            UPDATE events SET seq = -1 WHERE seq = 8;
            UPDATE events SET seq = 8 WHERE seq = 9;
            UPDATE events SET seq = 9 WHERE seq = -1;
            """)
        let report = try await Self.verify(signed.test.path)
        #expect(report.firstFailure?.seq == 8)
    }

    @Test func theTailDeletedWhileALaterCheckpointExists() async throws {
        let signed = try await Self.ledger()
        try signed.tamper("DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq > 25;")
        let report = try await Self.verify(signed.test.path)
        #expect(report.firstFailure?.seq == 26)
        #expect(report.firstFailure?.reason.contains("checkpoint 30") == true)
        #expect(report.eventsChecked == 25)
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

    /// A ledger rewritten consistently (hashes, chains and nodes all recomputed) still cannot
    /// produce the root the key signed: here the signed root is for other events.
    @Test func eventsThatNoLongerHashToASignedRoot() async throws {
        let signed = try await Self.ledger()
        let note = try CheckpointSigner(signer: SignedLedger.signer).sign(treeSize: 25, rootHash: StoredEvent.zeroHash)
        try signed.tamper("""
            INSERT INTO checkpoints VALUES (25, zeroblob(32), '\(note.serialized.replacingOccurrences(of: "'", with: "''"))', 0);
            """)
        let report = try await Self.verify(signed.test.path)
        #expect(report.firstFailure?.seq == 21)
        #expect(report.firstFailure?.reason.contains("seq 21…25") == true)
    }

    @Test func aCheckpointSignedByAnotherKey() async throws {
        let signed = try await Self.ledger()
        let impostor = try NoteSigner(name: SignedLedger.signer.name, seed: [UInt8](repeating: 9, count: 32))
        let root = try SQLiteMerkleNodes(connection: SQLiteConnection(path: signed.test.path)).root(treeSize: 25)
        let note = try CheckpointSigner(signer: impostor).sign(treeSize: 25, rootHash: root)
        let connection = try SQLiteConnection(path: signed.test.path)
        let insert = try connection.statement("INSERT INTO checkpoints VALUES (25, ?, ?, 0)")
        try insert.bind(1, root)
        try insert.bind(2, note.serialized)
        try insert.run()
        let report = try await Self.verify(signed.test.path)
        #expect(report.firstFailure?.seq == 25)
        #expect(report.firstFailure?.reason.contains("not a valid signed checkpoint") == true)
    }
}

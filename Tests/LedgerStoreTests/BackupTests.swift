import Foundation
import LedgerCore
import LedgerTestSupport
@testable import LedgerStore
import Testing

@Suite struct BackupTests {
    /// Appends keep committing while the copy is taken; the copy is one consistent snapshot,
    /// verifies on its own, and its tree is a prefix of the live tree.
    @Test func aBackupTakenWhileAppendingIsConsistentAndVerified() async throws {
        let signed = try await SignedLedger()
        try await signed.append(2_000, batchSize: 200)
        _ = try await signed.service.checkpoint()
        let ledger = signed.ledger
        let writer = Task {
            var factory = EventFactory(seed: 77)
            for _ in 0..<40 { _ = try await ledger.append((0..<50).map { _ in factory.event() }) }
        }
        let destination = signed.test.directory.appendingPathComponent("backup.sqlite").path
        let report = try await ledger.backup(to: destination)
        try await writer.value
        #expect(report.verification.passed)
        #expect(report.verification.checkpointsChecked == 1)
        #expect(report.treeHead.size >= 2_000 && report.treeHead.size <= 4_000)
        #expect(try #require(report.liveTreeSize) >= report.treeHead.size)
        #expect(try await ledger.root(treeSize: report.treeHead.size) == report.treeHead.rootHash)
        #expect(!FileManager.default.fileExists(atPath: destination + ".partial"))

        let copy = try SQLiteLedger(path: destination, create: false)
        #expect(try await copy.identity() == LedgerIdentity(signer: SignedLedger.signer))
        #expect(try await copy.verify(progress: nil).passed)
        await copy.close()
        await #expect(throws: BackupError.destinationExists(destination)) { try await ledger.backup(to: destination) }
        await ledger.close()
    }

    @Test func restoreVerifiesFirstAndRefusesToReplaceALedgerWithEvents() async throws {
        let signed = try await SignedLedger()
        try await signed.append(30)
        let backup = signed.test.directory.appendingPathComponent("backup.sqlite").path
        let head = try await signed.ledger.backup(to: backup).treeHead
        await signed.ledger.close()

        let target = signed.test.directory.appendingPathComponent("restored.sqlite").path
        let restored = try await SQLiteLedger.restore(from: backup, to: target, force: false)
        #expect(restored.treeHead == head && restored.verification.passed)

        // The restored ledger now holds events: a second restore needs --force.
        await #expect(throws: BackupError.destinationNotEmpty(target, events: 30)) {
            try await SQLiteLedger.restore(from: backup, to: target, force: false)
        }
        #expect(try await SQLiteLedger.restore(from: backup, to: target, force: true).treeHead == head)

        // A backup that does not verify is refused before the target is touched.
        try SignedLedger.tamper(path: backup, "DROP TRIGGER events_no_update; UPDATE events SET name = 'x.y' WHERE seq = 5;")
        let untouched = signed.test.directory.appendingPathComponent("untouched.sqlite").path
        await #expect(throws: BackupError.self) { try await SQLiteLedger.restore(from: backup, to: untouched, force: true) }
        #expect(!FileManager.default.fileExists(atPath: untouched))
    }
}

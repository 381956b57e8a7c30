import Foundation
import LedgerCore
@testable import LedgerStore
import Testing

@Suite struct CheckpointServiceTests {
    @Test func signsTheTreeHeadOnlyWhenItGrewAndStoresCheckpointsInOrder() async throws {
        let signed = try await SignedLedger()
        try await signed.append(10)
        let first = try await signed.service.checkpoint()
        #expect(first.treeSize == 10)
        let checkpoint = try first.verified(by: SignedLedger.signer.verifier)
        #expect(checkpoint.rootHash == (try await signed.ledger.root(treeSize: 10)))
        #expect(checkpoint.time == Date(timeIntervalSince1970: TimeInterval(FixedClock.start.microseconds / 1_000_000)))
        #expect(try await signed.service.checkpoint() == first)

        try await signed.append(5)
        let second = try await signed.service.checkpoint()
        #expect(second.treeSize == 15)
        #expect(try await signed.ledger.latestCheckpoint() == second)
        #expect(try await signed.ledger.checkpoints(after: nil, limit: 10) == [first, second])
        #expect(try await signed.ledger.checkpoints(after: 10, limit: 10) == [second])
        #expect(try await signed.ledger.checkpoint(atLeast: 3) == first)
        #expect(try await signed.ledger.checkpoint(atLeast: 11) == second)
        #expect(try await signed.ledger.checkpoint(atLeast: 16) == nil)
        // An export ending at seq 12 uses the checkpoint that holds it, without signing again.
        let evidence = try await signed.service.inclusion(of: 12)
        #expect(evidence.checkpoint == second)
        #expect(MerkleVerifier.verifyInclusion(leafHash: try #require(try await signed.ledger.leafHash(seq: 12)), leafIndex: 11,
                                               treeSize: 15, proof: evidence.proof, root: second.rootHash))
        await signed.ledger.close()
    }

    @Test func refusesToSignATreeThatShrank() async throws {
        let signed = try await SignedLedger()
        try await signed.append(10)
        _ = try await signed.service.checkpoint()
        try signed.tamper("DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq > 8;")
        await #expect(throws: CheckpointError.treeShrank(checkpointSize: 10, currentSize: 8)) {
            try await signed.service.checkpoint()
        }
        #expect(try await signed.ledger.checkpoints(after: nil, limit: 10).count == 1)
        await signed.ledger.close()
    }

    @Test func refusesToSignATreeInconsistentWithTheLatestCheckpoint() async throws {
        let signed = try await SignedLedger()
        try await signed.append(10)
        _ = try await signed.service.checkpoint()
        try await signed.append(6)
        // Rewrite the stored subtree over events 1–16: the new root no longer extends the signed one.
        try signed.tamper("DROP TRIGGER merkle_nodes_no_update; UPDATE merkle_nodes SET hash = randomblob(32) WHERE level = 4 AND idx = 0;")
        await #expect(throws: CheckpointError.inconsistent(previousSize: 10, currentSize: 16)) {
            try await signed.service.checkpoint()
        }
        #expect(try await signed.ledger.latestCheckpoint()?.treeSize == 10)
        await signed.ledger.close()
    }

    @Test func storageRefusesStaleSmallerOrWrongCheckpoints() async throws {
        let signed = try await SignedLedger()
        try await signed.append(12)
        let at10 = try await signed.ledger.root(treeSize: 10), at12 = try await signed.ledger.root(treeSize: 12)
        func row(_ size: UInt64, _ root: MerkleHash) throws -> StoredCheckpoint {
            let note = try CheckpointSigner(signer: SignedLedger.signer).sign(treeSize: size, rootHash: root)
            return StoredCheckpoint(treeSize: size, rootHash: root, signedNote: note.serialized, createdAt: FixedClock.start)
        }
        try await signed.ledger.appendCheckpoint(try row(10, at10), previousTreeSize: nil)
        await #expect(throws: CheckpointError.notLatest(expected: nil, actual: 10)) {
            try await signed.ledger.appendCheckpoint(try row(12, at12), previousTreeSize: nil)
        }
        await #expect(throws: CheckpointError.treeShrank(checkpointSize: 10, currentSize: 10)) {
            try await signed.ledger.appendCheckpoint(try row(10, at10), previousTreeSize: 10)
        }
        await #expect(throws: CheckpointError.rootMismatch(treeSize: 12)) {
            try await signed.ledger.appendCheckpoint(try row(12, at10), previousTreeSize: 10)
        }
        await #expect(throws: TreeSizeError.self) {
            try await signed.ledger.appendCheckpoint(try row(13, at12), previousTreeSize: 10)
        }
        try await signed.ledger.appendCheckpoint(try row(12, at12), previousTreeSize: 10)
        await signed.ledger.close()
    }

    @Test func onlyTheLedgersOwnKeySigns() async throws {
        let test = try TestLedger()
        await #expect(throws: CheckpointError.noIdentity) {
            try await CheckpointService(repository: test.ledger, signer: SignedLedger.signer)
        }
        try await test.ledger.setIdentity(LedgerIdentity(signer: SignedLedger.signer))
        try await test.ledger.setIdentity(LedgerIdentity(signer: SignedLedger.signer))
        let impostor = try NoteSigner.generate(name: SignedLedger.signer.name)
        await #expect(throws: CheckpointError.identityAlreadySet(origin: SignedLedger.signer.name)) {
            try await test.ledger.setIdentity(LedgerIdentity(signer: impostor))
        }
        await #expect(throws: CheckpointError.wrongKey(keyName: impostor.name, ledgerOrigin: SignedLedger.signer.name)) {
            try await CheckpointService(repository: test.ledger, signer: impostor)
        }
        #expect(try await test.ledger.identity() == LedgerIdentity(signer: SignedLedger.signer))
        await test.ledger.close()
    }

    @Test func theSchedulerSignsEveryMEventsAndOnceMoreWhenStopped() async throws {
        let signed = try await SignedLedger()
        let schedule = CheckpointSchedule(interval: .seconds(3600), everyEvents: 20, pollInterval: .milliseconds(10))
        let scheduler = CheckpointScheduler(service: signed.service, schedule: schedule)
        let task = Task { await scheduler.run() }
        try await signed.append(10)
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await signed.ledger.latestCheckpoint() == nil)
        // One atomic batch, so the scheduler cannot see (and sign) 20 on the way to 25.
        try await signed.append(15, batchSize: 15)
        var latest: StoredCheckpoint?
        for _ in 0..<300 where latest == nil {
            try await Task.sleep(for: .milliseconds(10))
            latest = try await signed.ledger.latestCheckpoint()
        }
        #expect(latest?.treeSize == 25)
        try await signed.append(3)
        task.cancel()
        await task.value
        #expect(try await signed.ledger.latestCheckpoint()?.treeSize == 28)
        await signed.ledger.close()
    }

    @Test func theSchedulerSignsAfterTheIntervalWhenEventsArrived() async throws {
        let signed = try await SignedLedger()
        let schedule = CheckpointSchedule(interval: .milliseconds(50), everyEvents: 1_000_000, pollInterval: .milliseconds(10))
        let task = Task { await CheckpointScheduler(service: signed.service, schedule: schedule).run() }
        try await signed.append(4)
        var latest: StoredCheckpoint?
        for _ in 0..<300 where latest == nil {
            try await Task.sleep(for: .milliseconds(10))
            latest = try await signed.ledger.latestCheckpoint()
        }
        #expect(latest?.treeSize == 4)
        task.cancel()
        await task.value
        await signed.ledger.close()
    }

    static let pythonWithCryptography: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import cryptography"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// What the service stores is checked by an independent Ed25519 implementation with only
    /// the verifier key string (scripts/verify-checkpoint.py).
    @Test(.enabled(if: pythonWithCryptography, "needs python3 with the cryptography package"))
    func aStoredCheckpointVerifiesWithThePythonVerifier() async throws {
        let signed = try await SignedLedger()
        try await signed.append(7)
        let checkpoint = try await signed.service.checkpoint()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/verify-checkpoint.py")
        func python(_ note: String) throws -> (Int32, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script.path, SignedLedger.signer.verifier.verifierKey]
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
            input.fileHandleForWriting.write(Data(note.utf8))
            try input.fileHandleForWriting.close()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        let (status, output) = try python(checkpoint.signedNote)
        #expect(status == 0, "\(output)")
        #expect(output.contains("size=7"))
        #expect(try python(checkpoint.signedNote.replacingOccurrences(of: "\n7\n", with: "\n8\n")).0 == 1)
        await signed.ledger.close()
    }
}

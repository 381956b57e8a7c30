import Foundation
import LedgerCore
import LedgerStore
import LedgerTestSupport
import Testing

@Suite(.serialized) struct CheckpointConformanceTests {
    @Test(arguments: Backend.allCases)
    func signsTheTreeHeadOnlyWhenItGrewAndStoresCheckpointsInOrder(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            let service = try await test.checkpointService()
            try await test.append(10)
            let first = try await service.checkpoint()
            #expect(first.treeSize == 10)
            let checkpoint = try first.verified(by: TestSigner.signer.verifier)
            #expect(checkpoint.rootHash == (try await test.ledger.root(treeSize: 10)))
            #expect(checkpoint.time == Date(timeIntervalSince1970: TimeInterval(FixedClock.start.microseconds / 1_000_000)))
            #expect(try await service.checkpoint() == first)

            try await test.append(5)
            let second = try await service.checkpoint()
            #expect(second.treeSize == 15)
            #expect(try await test.ledger.latestCheckpoint() == second)
            #expect(try await test.ledger.checkpoints(after: nil, limit: 10) == [first, second])
            #expect(try await test.ledger.checkpoints(after: 10, limit: 10) == [second])
            #expect(try await test.ledger.checkpoint(atLeast: 3) == first)
            #expect(try await test.ledger.checkpoint(atLeast: 11) == second)
            #expect(try await test.ledger.checkpoint(atLeast: 16) == nil)
            // An export ending at seq 12 uses the checkpoint that holds it, without signing again.
            let evidence = try await service.inclusion(of: 12)
            #expect(evidence.checkpoint == second)
            #expect(MerkleVerifier.verifyInclusion(leafHash: try #require(try await test.ledger.leafHash(seq: 12)), leafIndex: 11,
                                                   treeSize: 15, proof: evidence.proof, root: second.rootHash))
        }
    }

    @Test(arguments: Backend.allCases)
    func refusesToSignATreeThatShrank(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            let service = try await test.checkpointService()
            try await test.append(10)
            _ = try await service.checkpoint()
            try await test.tamper("DELETE FROM events WHERE seq > 8")
            await #expect(throws: CheckpointError.treeShrank(checkpointSize: 10, currentSize: 8)) {
                try await service.checkpoint()
            }
            #expect(try await test.ledger.checkpoints(after: nil, limit: 10).count == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func refusesToSignATreeInconsistentWithTheLatestCheckpoint(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            let service = try await test.checkpointService()
            try await test.append(10)
            _ = try await service.checkpoint()
            try await test.append(6)
            // Rewrite the stored subtree over events 1–16: the new root no longer extends the signed one.
            try await test.tamper("UPDATE merkle_nodes SET hash = \(test.blob((0..<32).map { UInt8($0 * 7 % 256) })) WHERE level = 4 AND idx = 0")
            await #expect(throws: CheckpointError.inconsistent(previousSize: 10, currentSize: 16)) {
                try await service.checkpoint()
            }
            #expect(try await test.ledger.latestCheckpoint()?.treeSize == 10)
        }
    }

    @Test(arguments: Backend.allCases)
    func storageRefusesStaleSmallerOrWrongCheckpoints(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            _ = try await test.checkpointService()
            try await test.append(12)
            let at10 = try await test.ledger.root(treeSize: 10), at12 = try await test.ledger.root(treeSize: 12)
            try await test.ledger.appendCheckpoint(try TestSigner.row(10, at10), previousTreeSize: nil)
            await #expect(throws: CheckpointError.notLatest(expected: nil, actual: 10)) {
                try await test.ledger.appendCheckpoint(try TestSigner.row(12, at12), previousTreeSize: nil)
            }
            await #expect(throws: CheckpointError.treeShrank(checkpointSize: 10, currentSize: 10)) {
                try await test.ledger.appendCheckpoint(try TestSigner.row(10, at10), previousTreeSize: 10)
            }
            await #expect(throws: CheckpointError.rootMismatch(treeSize: 12)) {
                try await test.ledger.appendCheckpoint(try TestSigner.row(12, at10), previousTreeSize: 10)
            }
            await #expect(throws: TreeSizeError.self) {
                try await test.ledger.appendCheckpoint(try TestSigner.row(13, at12), previousTreeSize: 10)
            }
            try await test.ledger.appendCheckpoint(try TestSigner.row(12, at12), previousTreeSize: 10)
        }
    }

    /// Signers racing on one ledger (through separate instances, as separate nodes would) never
    /// interleave: every stored checkpoint extends the one before it.
    @Test(arguments: Backend.allCases)
    func concurrentSignersStoreAConsistentSequence(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            _ = try await test.checkpointService()
            let other = try await test.openAnother()
            let services = [try await CheckpointService(repository: test.ledger, signer: TestSigner.signer),
                            try await CheckpointService(repository: other, signer: TestSigner.signer)]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, service) in services.enumerated() {
                    group.addTask {
                        for round in 0..<8 {
                            _ = try await (index == 0 ? test.ledger : other).append([EventFactory.event(seed: UInt64(index * 100 + round))])
                            _ = try await service.checkpoint()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let checkpoints = try await test.ledger.checkpoints(after: nil, limit: 100)
            #expect(checkpoints.last?.treeSize == 16)
            #expect(checkpoints.map(\.treeSize) == checkpoints.map(\.treeSize).sorted())
            let report = try await test.ledger.verify(checkpointVerifier: TestSigner.signer.verifier, progress: nil)
            #expect(report.passed && report.checkpointsChecked == checkpoints.count)
        }
    }

    @Test(arguments: Backend.allCases)
    func onlyTheLedgersOwnKeySigns(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            await #expect(throws: CheckpointError.noIdentity) {
                try await CheckpointService(repository: test.ledger, signer: TestSigner.signer)
            }
            #expect(try await test.ledger.identity() == nil)
            try await test.ledger.setIdentity(LedgerIdentity(signer: TestSigner.signer))
            try await test.ledger.setIdentity(LedgerIdentity(signer: TestSigner.signer))
            let impostor = try NoteSigner.generate(name: TestSigner.signer.name)
            await #expect(throws: CheckpointError.identityAlreadySet(origin: TestSigner.signer.name)) {
                try await test.ledger.setIdentity(LedgerIdentity(signer: impostor))
            }
            await #expect(throws: CheckpointError.wrongKey(keyName: impostor.name, ledgerOrigin: TestSigner.signer.name)) {
                try await CheckpointService(repository: test.ledger, signer: impostor)
            }
            #expect(try await test.ledger.identity() == LedgerIdentity(signer: TestSigner.signer))
        }
    }

    @Test(arguments: Backend.allCases)
    func theSchedulerSignsEveryMEventsAndOnceMoreWhenStopped(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            let service = try await test.checkpointService()
            let schedule = CheckpointSchedule(interval: .seconds(3600), everyEvents: 20, pollInterval: .milliseconds(10))
            let scheduler = CheckpointScheduler(service: service, schedule: schedule)
            let task = Task { await scheduler.run() }
            try await test.append(10)
            try await Task.sleep(for: .milliseconds(100))
            #expect(try await test.ledger.latestCheckpoint() == nil)
            // One atomic batch, so the scheduler cannot see (and sign) 20 on the way to 25.
            try await test.append(15, batchSize: 15)
            var latest: StoredCheckpoint?
            for _ in 0..<500 where latest == nil {
                try await Task.sleep(for: .milliseconds(10))
                latest = try await test.ledger.latestCheckpoint()
            }
            #expect(latest?.treeSize == 25)
            try await test.append(3)
            task.cancel()
            await task.value
            #expect(try await test.ledger.latestCheckpoint()?.treeSize == 28)
        }
    }

    @Test(arguments: Backend.allCases)
    func theSchedulerSignsAfterTheIntervalWhenEventsArrived(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            let service = try await test.checkpointService()
            let schedule = CheckpointSchedule(interval: .milliseconds(50), everyEvents: 1_000_000, pollInterval: .milliseconds(10))
            let task = Task { await CheckpointScheduler(service: service, schedule: schedule).run() }
            try await test.append(4)
            var latest: StoredCheckpoint?
            for _ in 0..<500 where latest == nil {
                try await Task.sleep(for: .milliseconds(10))
                latest = try await test.ledger.latestCheckpoint()
            }
            #expect(latest?.treeSize == 4)
            task.cancel()
            await task.value
        }
    }
}

import LedgerCore
import LedgerStore
import LedgerTestSupport
import Testing

/// Edits an attacker with write access to the database could make, and the first bad `seq`
/// that `verify` must name for each.
@Suite(.serialized) struct CheckpointTamperConformanceTests {
    /// 30 events with checkpoints at 20 and 30, then `body`; the ledger is reopened before
    /// verifying so that no cached state hides an edit.
    private func withSignedLedger(_ backend: Backend, _ body: (LedgerFixture) async throws -> Void) async throws {
        try await withLedger(backend) { test in
            let service = try await test.checkpointService()
            try await test.append(20)
            _ = try await service.checkpoint()
            try await test.append(10, seed: 2)
            _ = try await service.checkpoint()
            try await body(test)
        }
    }

    private func verify(_ test: LedgerFixture, verifier: NoteVerifier? = TestSigner.signer.verifier) async throws -> VerificationReport {
        try await test.reopen()
        return try await test.ledger.verify(checkpointVerifier: verifier, progress: nil)
    }

    @Test(arguments: Backend.allCases)
    func anUntouchedLedgerVerifiesWithItsCheckpoints(_ backend: Backend) async throws {
        try await withSignedLedger(backend) { test in
            let report = try await verify(test)
            #expect(report.passed)
            #expect(report.eventsChecked == 30 && report.checkpointsChecked == 2)
            #expect(report.warnings.isEmpty)
            // Without a pinned key the recorded one is used, and the report says so.
            let recorded = try await verify(test, verifier: nil)
            #expect(recorded.passed && recorded.checkpointsChecked == 2)
            #expect(recorded.warnings.contains { $0.contains("recorded in the database") })
        }
    }

    @Test(arguments: Backend.allCases)
    func aRowEditedWithRawSQL(_ backend: Backend) async throws {
        try await withSignedLedger(backend) { test in
            try await test.tamper("UPDATE events SET actor_id = 'mallory' WHERE seq = 12")
            let report = try await verify(test)
            #expect(report.firstFailure?.seq == 12)
            #expect(report.firstFailure?.reason.contains("actor_id") == true)
        }
    }

    @Test(arguments: Backend.allCases)
    func aRowRewrittenWithARecomputedHash(_ backend: Backend) async throws {
        try await withSignedLedger(backend) { test in
            var event = try CanonicalEncoding.decode(try await test.storedCanonical(seq: 7))
            event.content.description = "nothing to see"
            let forged = StoredEvent.seal(seq: event.seq, accountSeq: event.accountSeq, receivedAt: event.receivedAt,
                                          content: event.content, geo: event.geo, previousHash: event.previousHash)
            try await test.tamper("""
                UPDATE events SET canonical = \(test.blob(forged.canonicalBytes)), hash = \(test.blob(forged.event.hash.bytes))
                    \(test.wordFilterAssignments(event.content)) WHERE seq = 7
                """)
            let report = try await verify(test)
            // Event 7 is self-consistent: it is caught by the first event that contradicts it, at
            // most one later (its level-1 node over 7…8 completes at 8).
            let failure = try #require(report.firstFailure)
            #expect(failure.seq == 8)
            #expect(failure.reason.contains("previous hash does not match") || failure.reason.contains("over seq 7…8"), "\(failure)")
        }
    }

    @Test(arguments: Backend.allCases)
    func aRowDeletedAfterDroppingTheTriggers(_ backend: Backend) async throws {
        try await withSignedLedger(backend) { test in
            try await test.dropTrigger("events", "delete")
            try await test.execute("DELETE FROM events WHERE seq = 17")
            let report = try await verify(test)
            #expect(report.firstFailure?.seq == 17)
            #expect(report.firstFailure?.reason.contains("missing") == true)
            #expect(report.warnings.contains("append-only trigger events_no_delete is missing"))
        }
    }

    @Test(arguments: Backend.allCases)
    func twoRowsSwapped(_ backend: Backend) async throws {
        try await withSignedLedger(backend) { test in
            try await test.tamper("""
                UPDATE events SET seq = -1 WHERE seq = 8;
                UPDATE events SET seq = 8 WHERE seq = 9;
                UPDATE events SET seq = 9 WHERE seq = -1;
                """)
            #expect(try await verify(test).firstFailure?.seq == 8)
        }
    }

    @Test(arguments: Backend.allCases)
    func theTailDeletedWhileALaterCheckpointExists(_ backend: Backend) async throws {
        try await withSignedLedger(backend) { test in
            try await test.tamper("DELETE FROM events WHERE seq > 25")
            let report = try await verify(test)
            #expect(report.firstFailure?.seq == 26)
            #expect(report.firstFailure?.reason.contains("checkpoint 30") == true)
            #expect(report.eventsChecked == 25)
        }
    }

    /// A ledger rewritten consistently (hashes, chains and nodes all recomputed) still cannot
    /// produce the root the key signed: here the signed root is for other events.
    @Test(arguments: Backend.allCases)
    func eventsThatNoLongerHashToASignedRoot(_ backend: Backend) async throws {
        try await withSignedLedger(backend) { test in
            try await test.insertCheckpointRow(try TestSigner.row(25, StoredEvent.zeroHash))
            let report = try await verify(test)
            #expect(report.firstFailure?.seq == 21)
            #expect(report.firstFailure?.reason.contains("seq 21…25") == true)
        }
    }

    @Test(arguments: Backend.allCases)
    func aCheckpointSignedByAnotherKey(_ backend: Backend) async throws {
        try await withSignedLedger(backend) { test in
            let impostor = try NoteSigner(name: TestSigner.signer.name, seed: [UInt8](repeating: 9, count: 32))
            try await test.insertCheckpointRow(try TestSigner.row(25, try await test.ledger.root(treeSize: 25), by: impostor))
            let report = try await verify(test)
            #expect(report.firstFailure?.seq == 25)
            #expect(report.firstFailure?.reason.contains("not a valid signed checkpoint") == true)
        }
    }
}

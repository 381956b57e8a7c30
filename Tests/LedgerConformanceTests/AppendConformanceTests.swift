import Foundation
import LedgerCore
import LedgerStore
import LedgerTestSupport
import Testing

@Suite(.serialized) struct AppendConformanceTests {
    @Test(arguments: Backend.allCases)
    func appendsAssignDenseSeqAndAccountChains(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 1)
            let events = (0..<50).map { _ in factory.event() }
            let receipts = try await test.ledger.append(events)
            #expect(receipts.map(\.seq) == Array(1...50))
            var perAccount: [String: UInt64] = [:]
            for (event, receipt) in zip(events, receipts) {
                perAccount[event.content.account, default: 0] += 1
                #expect(receipt.accountSeq == perAccount[event.content.account])
                let stored = try #require(try await test.ledger.event(account: event.content.account, seq: receipt.seq))
                #expect(stored.content == event.content)
                #expect(stored.hash == receipt.hash)
                #expect(stored.geo == event.geo)
            }
            #expect(try await test.ledger.verify(progress: nil).passed)
            let status = try await test.ledger.status()
            #expect(status.events == 50 && status.accounts == Set(events.map(\.content.account)).count)
            #expect(status.lastReceivedAt == FixedClock.start)
        }
    }

    @Test(arguments: Backend.allCases)
    func theSameIDInConcurrentRequestsIsStoredOnceWhicheverGroupTheyLandIn(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 12)
            let events = (0..<8).map { factory.event(clientID: "dup-\($0)") }
            // Sixteen requests at once, each id twice: most share a group commit.
            let ledger = test.ledger
            var receipts: [AppendReceipt] = []
            try await withThrowingTaskGroup(of: [AppendReceipt].self) { group in
                for event in events + events {
                    group.addTask { try await ledger.append([event]) }
                }
                for try await batch in group { receipts += batch }
            }
            #expect(receipts.count == 16)
            #expect(receipts.filter { !$0.replayed }.count == 8)
            for event in events {
                let pair = receipts.filter { $0.clientID == event.content.clientID }
                let seqs = Set(pair.map { $0.seq }), hashes = Set(pair.map { $0.hash })
                #expect(pair.count == 2)
                #expect(seqs.count == 1)
                #expect(hashes.count == 1)
            }
            #expect(try await test.ledger.status().events == 8)
        }
    }

    @Test(arguments: Backend.allCases)
    func sameIDSameContentReplaysTheOriginalReceipt(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 2)
            let event = factory.event(clientID: "evt-1")
            let first = try await test.ledger.append([event])
            let again = try await test.ledger.append([event])
            #expect(first[0].replayed == false)
            #expect(again[0].replayed == true)
            #expect(again[0].seq == first[0].seq)
            #expect(again[0].hash == first[0].hash)
            #expect(again[0].accountSeq == first[0].accountSeq)
            #expect(try await test.ledger.status().events == 1)
            let byID = try await test.ledger.event(account: event.content.account, clientID: "evt-1")
            #expect(byID?.seq == first[0].seq)
            #expect(try await test.ledger.event(account: "nobody", clientID: "evt-1") == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func defaultedOccurredAtDoesNotMakeARetryAConflict(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 3)
            var content = factory.event(clientID: "evt-retry").content
            let first = NewEvent(content: content, occurredAtGiven: false)
            content.occurredAt = Timestamp(microseconds: content.occurredAt.microseconds + 1_000_000)
            let retry = NewEvent(content: content, occurredAtGiven: false)
            _ = try await test.ledger.append([first])
            #expect(try await test.ledger.append([retry])[0].replayed)
        }
    }

    @Test(arguments: Backend.allCases)
    func sameIDDifferentContentIsAConflictAndStoresNothingOfTheBatch(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 4)
            let original = factory.event(clientID: "evt-1")
            _ = try await test.ledger.append([original])
            var changed = original.content
            changed.description = "something else"
            let batch = [factory.event(), NewEvent(content: changed, occurredAtGiven: true), factory.event()]
            await #expect(throws: AppendError.conflicts([IdempotencyConflict(index: 1, clientID: "evt-1", existingSeq: 1)])) {
                try await test.ledger.append(batch)
            }
            #expect(try await test.ledger.status().events == 1)
            #expect(try await test.ledger.verify(progress: nil).passed)
        }
    }

    @Test(arguments: Backend.allCases)
    func duplicateIDsInsideOneBatch(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 5)
            let event = factory.event(clientID: "dup")
            let receipts = try await test.ledger.append([event, factory.event(), event])
            #expect(receipts[2].replayed && receipts[2].seq == receipts[0].seq)
            var changed = event.content
            changed.name = "user.login"
            let conflicting = NewEvent(content: changed, occurredAtGiven: true)
            var other = event.content
            other.clientID = "dup-2"
            let fresh = NewEvent(content: other, occurredAtGiven: true)
            let renamed = NewEvent(content: with(fresh.content) { $0.name = "user.logout" }, occurredAtGiven: true)
            await #expect(throws: AppendError.conflicts([IdempotencyConflict(index: 1, clientID: "dup-2", existingSeq: nil)])) {
                try await test.ledger.append([fresh, renamed])
            }
            await #expect(throws: AppendError.conflicts([IdempotencyConflict(index: 0, clientID: "dup", existingSeq: 1)])) {
                try await test.ledger.append([conflicting])
            }
            #expect(try await test.ledger.status().events == 2)
        }
    }

    /// Requests that share one commit: a conflicting one fails alone, and an id stored by an
    /// earlier request of the same group replays for a later one.
    @Test(arguments: Backend.allCases)
    func requestsSharingACommitKeepTheirOwnOutcome(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 15)
            let ledger = test.ledger
            let held = factory.event(clientID: "held")
            _ = try await ledger.append([held])
            let conflicting = NewEvent(content: with(held.content) { $0.description = "changed" }, occurredAtGiven: true)
            let shared = factory.event(clientID: "shared")
            let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for task in 0..<40 {
                    group.addTask {
                        var local = EventFactory(seed: UInt64(200 + task))
                        let events = task % 10 == 0 ? [local.event(), conflicting] : [local.event(), shared]
                        do {
                            _ = try await ledger.append(events)
                            return (task, true)
                        } catch AppendError.conflicts {
                            return (task, false)
                        }
                    }
                }
                return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            #expect(outcomes.filter { !$0.value }.keys.sorted() == [0, 10, 20, 30])
            // 1 held + 36 requests of one fresh event each + "shared" once.
            #expect(try await ledger.status().events == 1 + 36 + 1)
            #expect(try await ledger.verify(progress: nil).passed)
        }
    }

    @Test(arguments: Backend.allCases)
    func concurrentAppendsGetDistinctDenseSeqsAndShareCommits(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            let ledger = test.ledger
            let receipts = try await withThrowingTaskGroup(of: [AppendReceipt].self) { group in
                for task in 0..<64 {
                    group.addTask {
                        var factory = EventFactory(seed: UInt64(100 + task))
                        var all: [AppendReceipt] = []
                        for _ in 0..<5 { all += try await ledger.append([factory.event(), factory.event()]) }
                        return all
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(receipts.count == 640)
            #expect(Set(receipts.map(\.seq)) == Set(1...640))
            #expect(try await ledger.verify(progress: nil).passed)
        }
    }

    @Test(arguments: Backend.allCases)
    func appendsAfterCloseAreRefused(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 6)
            _ = try await test.ledger.append([factory.event()])
            await test.close()
            await #expect(throws: AppendError.closed) { try await test.ledger.append([factory.event()]) }
        }
    }

    @Test(arguments: Backend.allCases)
    func storedRowsCannotBeUpdatedOrDeleted(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 7)
            // Two events, so that a Merkle node exists too.
            _ = try await test.ledger.append([factory.event(clientID: "kept"), factory.event()])
            await #expect(throws: (any Error).self) { try await test.execute("UPDATE events SET name = 'x' WHERE seq = 1") }
            await #expect(throws: (any Error).self) { try await test.execute("DELETE FROM events WHERE seq = 1") }
            await #expect(throws: (any Error).self) { try await test.execute("DELETE FROM idempotency_keys") }
            await #expect(throws: (any Error).self) { try await test.execute("UPDATE accounts SET first_seq = 2") }
            await #expect(throws: (any Error).self) { try await test.execute("DELETE FROM merkle_nodes") }
            #expect(try await test.ledger.status().events == 2)
            #expect(try await test.ledger.verify(progress: nil).passed)
        }
    }

    @Test(arguments: Backend.allCases)
    func reopeningContinuesTheChains(_ backend: Backend) async throws {
        try await withLedger(backend) { test in
            var factory = EventFactory(seed: 8)
            _ = try await test.ledger.append((0..<20).map { _ in factory.event() })
            try await test.reopen()
            let receipts = try await test.ledger.append((0..<20).map { _ in factory.event() })
            #expect(receipts.first?.seq == 21)
            #expect(try await test.ledger.verify(progress: nil).passed)
        }
    }
}

import Foundation
import LedgerCore
import Testing
@testable import LedgerStore

@Suite struct AppendTests {
    @Test func appendsAssignDenseSeqAndAccountChains() async throws {
        let test = try TestLedger()
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
        await test.ledger.close()
    }

    @Test func writerRunsWithSynchronousFull() throws {
        let test = try TestLedger()
        #expect(test.ledger.writerSynchronousLevel == 2)
    }

    @Test func sameIDSameContentReplaysTheOriginalReceipt() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 2)
        let event = factory.event(clientID: "evt-1")
        let first = try await test.ledger.append([event])
        let again = try await test.ledger.append([event])
        #expect(first[0].replayed == false)
        #expect(again[0].replayed == true)
        #expect(again[0].seq == first[0].seq)
        #expect(again[0].hash == first[0].hash)
        #expect(try await test.ledger.status().events == 1)
        let byID = try await test.ledger.event(account: event.content.account, clientID: "evt-1")
        #expect(byID?.seq == first[0].seq)
    }

    @Test func defaultedOccurredAtDoesNotMakeARetryAConflict() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 3)
        var content = factory.event(clientID: "evt-retry").content
        let first = NewEvent(content: content, occurredAtGiven: false)
        content.occurredAt = Timestamp(microseconds: content.occurredAt.microseconds + 1_000_000)
        let retry = NewEvent(content: content, occurredAtGiven: false)
        _ = try await test.ledger.append([first])
        #expect(try await test.ledger.append([retry])[0].replayed)
    }

    @Test func sameIDDifferentContentIsAConflictAndStoresNothingOfTheBatch() async throws {
        let test = try TestLedger()
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

    @Test func duplicateIDsInsideOneBatch() async throws {
        let test = try TestLedger()
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
        await #expect(throws: AppendError.self) {
            try await test.ledger.append([fresh, NewEvent(content: { var c = fresh.content; c.name = "user.logout"; return c }(), occurredAtGiven: true)])
        }
        await #expect(throws: AppendError.self) { try await test.ledger.append([conflicting]) }
        #expect(try await test.ledger.status().events == 2)
    }

    @Test func concurrentAppendsGetDistinctDenseSeqsAndShareCommits() async throws {
        let test = try TestLedger()
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

    @Test func appendsAfterCloseAreRefused() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 6)
        _ = try await test.ledger.append([factory.event()])
        await test.ledger.close()
        await #expect(throws: AppendError.closed) { try await test.ledger.append([factory.event()]) }
    }

    @Test func storedEventsCannotBeUpdatedOrDeleted() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 7)
        _ = try await test.ledger.append([factory.event(clientID: "kept")])
        let raw = try SQLiteConnection(path: test.path)
        #expect(throws: SQLiteError.self) { try raw.execute("UPDATE events SET name = 'x' WHERE seq = 1") }
        #expect(throws: SQLiteError.self) { try raw.execute("DELETE FROM events WHERE seq = 1") }
        #expect(throws: SQLiteError.self) { try raw.execute("DELETE FROM idempotency_keys") }
        #expect(throws: SQLiteError.self) { try raw.execute("UPDATE accounts SET first_seq = 2") }
    }

    @Test func reopeningContinuesTheChains() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 8)
        _ = try await test.ledger.append((0..<20).map { _ in factory.event() })
        await test.ledger.close()
        let reopened = try SQLiteLedger(path: test.path, create: false)
        let receipts = try await reopened.append((0..<20).map { _ in factory.event() })
        #expect(receipts.first?.seq == 21)
        #expect(try await reopened.verify(progress: nil).passed)
        await reopened.close()
    }

    @Test func openingAMissingLedgerWithoutCreateFails() {
        #expect(throws: LedgerOpenError.self) { try SQLiteLedger(path: "/nonexistent-dir/x.sqlite", create: false) }
    }
}

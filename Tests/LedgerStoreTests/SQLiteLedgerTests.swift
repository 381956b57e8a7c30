import Foundation
import LedgerCore
import LedgerTestSupport
import Testing
@testable import LedgerStore

/// What only the SQLite backend promises; the shared behaviour is in LedgerConformanceTests.
@Suite struct SQLiteLedgerTests {
    @Test func writerRunsWithSynchronousFull() throws {
        let test = try TestLedger()
        #expect(test.ledger.writerSynchronousLevel == 2)
    }

    @Test func openingAMissingLedgerWithoutCreateFails() {
        #expect(throws: LedgerOpenError.self) { try SQLiteLedger(path: "/nonexistent-dir/x.sqlite", create: false) }
    }

    /// A full disk (here SQLite's page limit on the writer) fails the commit as
    /// `StoreUnavailableError`, which the server answers with 503 and Retry-After instead of a
    /// 500; nothing of the failed group is stored, every acknowledged event stays, and reads go on.
    @Test func aFullDiskFailsAppendsAsUnavailableAndKeepsWhatWasAcknowledged() async throws {
        var options = SQLiteLedger.Options()
        options.maxPageCount = 150
        let test = try TestLedger(options: options)
        var factory = EventFactory(seed: 93)
        var acknowledged = 0
        var failure: (any Error)?
        for _ in 0..<200 where failure == nil {
            do {
                acknowledged += try await test.ledger.append((0..<20).map { _ in factory.event() }).count
            } catch {
                failure = error
            }
        }
        #expect(failure is StoreUnavailableError, "\(String(describing: failure))")
        #expect("\(failure.map { "\($0)" } ?? "")".contains("full"))
        #expect(acknowledged > 0)
        #expect(try await test.ledger.status().events == UInt64(acknowledged))
        #expect(try await test.ledger.verify(progress: nil).passed)
        await test.ledger.close()
    }

    /// FTS5's automerge is off (schema migration 4) and every commit merges a step instead
    /// (`SQLiteEventRows.mergeFullText`): one small commit after another must still leave few
    /// full-text segments, else full-text search would read ever more of them, and every event
    /// must stay findable through the merges. Without the step, segments pile up until FTS5's
    /// crisis merge at 16 per level.
    @Test func smallCommitsKeepFullTextSegmentsFewAndEveryEventFindable() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 91)
        var expected: Int64 = 0
        for _ in 0..<300 {
            let event = factory.event()
            if FullText.words(in: FullText.document(for: event.content)).contains("stack") { expected += 1 }
            _ = try await test.ledger.append([event])
        }
        await test.ledger.close()
        let connection = try SQLiteConnection(path: test.path)
        #expect(try connection.scalarInt("SELECT v FROM events_fts_config WHERE k = 'automerge'") == 0)
        let segments = try connection.scalarInt("SELECT count(DISTINCT segid) FROM events_fts_idx") ?? 0
        #expect(segments <= 8, "\(segments) full-text segments after 300 commits")
        #expect(expected > 50)
        #expect(try connection.scalarInt("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'stack'") == expected)
    }
}

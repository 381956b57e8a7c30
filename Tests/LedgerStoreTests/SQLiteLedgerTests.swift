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

    /// A ledger written before migration 5 keyed targets by (account, type, id) alone. Opening it
    /// rebuilds the table under the event's day: every target row survives with the right day,
    /// the table stays append-only, target searches find what they found before, and verify passes.
    @Test func targetsWrittenBeforeTheDayKeyAreRebuiltUnderTheirDay() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 97)
        var events: [NewEvent] = []
        for index in 0..<400 {
            var event = factory.event()
            event.content.occurredAt = event.content.occurredAt.adding(seconds: -Int64(index % 9) * 86_400)
            events.append(event)
        }
        _ = try await test.ledger.append(events)
        let query = with(SearchQuery(account: "acme")) { $0.target = TargetFilter(type: "stack", id: "t1"); $0.limit = 1_000 }
        let before = try await test.ledger.search(query).events.map(\.seq)
        #expect(before.count > 10)
        await test.ledger.close()

        // Put the table back as migrations 1–4 left it.
        let connection = try SQLiteConnection(path: test.path)
        let rows = try connection.scalarInt("SELECT count(*) FROM event_targets")
        try connection.execute("""
            CREATE TABLE old_targets (account TEXT NOT NULL, target_type TEXT NOT NULL, target_id TEXT NOT NULL,
                                      seq INTEGER NOT NULL, PRIMARY KEY (account, target_type, target_id, seq)) WITHOUT ROWID;
            INSERT INTO old_targets SELECT account, target_type, target_id, seq FROM event_targets;
            DROP TABLE event_targets;
            ALTER TABLE old_targets RENAME TO event_targets;
            DELETE FROM schema_migrations WHERE version >= 5;
            """)

        let reopened = try SQLiteLedger(path: test.path)
        #expect(try connection.scalarInt("SELECT count(*) FROM event_targets") == rows)
        #expect(try connection.scalarInt("""
            SELECT count(*) FROM event_targets t JOIN events e ON e.seq = t.seq WHERE t.day = e.occurred_at / 86400000000
            """) == rows)
        #expect(throws: SQLiteError.self) { try connection.execute("DELETE FROM event_targets") }
        #expect(try await reopened.search(query).events.map(\.seq) == before)
        #expect(try await reopened.verify(progress: nil).passed)
        await reopened.close()
    }

    /// Before migration 6 the account/time index held (account, occurred_at) alone, and a country
    /// or city filter read every event of the range from the table. Opening such a ledger rebuilds
    /// the index with the place columns; place searches find exactly what they found before.
    @Test func theAccountTimeIndexGainsThePlaceColumnsOnOpen() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 101)
        _ = try await test.ledger.append((0..<400).map { _ in factory.event() })
        let byCountry = with(SearchQuery(account: "acme")) { $0.country = "DE"; $0.limit = 1_000 }
        let byCity = with(SearchQuery(account: "acme")) { $0.city = "berlin"; $0.limit = 1_000 }
        let countryBefore = try await test.ledger.search(byCountry).events.map(\.seq)
        let cityBefore = try await test.ledger.search(byCity).events.map(\.seq)
        #expect(countryBefore.count > 10 && cityBefore.count > 10)
        await test.ledger.close()

        // Put the index back as migrations 1–5 left it.
        let connection = try SQLiteConnection(path: test.path)
        try connection.execute("""
            DROP INDEX events_account_time;
            CREATE INDEX events_account_time ON events (account, occurred_at);
            DELETE FROM schema_migrations WHERE version = 6;
            """)

        let reopened = try SQLiteLedger(path: test.path)
        let indexInfo = try connection.statement("SELECT name FROM pragma_index_info('events_account_time') ORDER BY seqno")
        var columns: [String] = []
        while try indexInfo.step() { columns.append(indexInfo.text(0) ?? "") }
        #expect(columns == ["account", "occurred_at", "seq", "country_code", "city"])
        #expect(try await reopened.search(byCountry).events.map(\.seq) == countryBefore)
        #expect(try await reopened.search(byCity).events.map(\.seq) == cityBefore)
        #expect(try await reopened.verify(progress: nil).passed)
        await reopened.close()
    }
}

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
        _ = try await test.ledger.append(eventsOverDays(400, days: 9, seed: 97))
        let query = with(SearchQuery(account: "acme")) { $0.target = TargetFilter(type: "stack", id: "t1"); $0.limit = 1_000 }
        let before = try await test.ledger.search(query).events.map(\.seq)
        #expect(before.count > 10)
        await test.ledger.close()

        // Put the table back as migrations 1–4 left it.
        let connection = try SQLiteConnection(path: test.path)
        try rewindToMigration7(connection)
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
        try rewindToMigration7(connection)
        try connection.execute("""
            DROP INDEX events_account_time;
            CREATE INDEX events_account_time ON events (account, occurred_at);
            DELETE FROM schema_migrations WHERE version >= 6;
            """)

        let reopened = try SQLiteLedger(path: test.path)
        let indexInfo = try connection.statement("SELECT name FROM pragma_index_info('events_account_time') ORDER BY seqno")
        var columns: [String] = []
        while try indexInfo.step() { columns.append(indexInfo.text(0) ?? "") }
        #expect(columns == ["account", "occurred_at", "seq", "country_code", "city", "words_0", "words_1", "words_2", "words_3"])
        #expect(try await reopened.search(byCountry).events.map(\.seq) == countryBefore)
        #expect(try await reopened.search(byCity).events.map(\.seq) == cityBefore)
        #expect(try await reopened.verify(progress: nil).passed)
        await reopened.close()
    }

    /// Before migration 7 the full-text documents held an event's words alone. Opening such a
    /// ledger writes every document again with its scope tokens: word and country searches find
    /// exactly what they found before, a day's token finds that day's events of the account, and
    /// the account's country token (migration 9) its events in that country.
    @Test func fullTextDocumentsGainTheirScopeTokensOnOpen() async throws {
        var scoped = SQLiteLedger.Options()
        scoped.countryScanLimit = 0
        let test = try TestLedger(options: scoped)
        let events = eventsOverDays(400, days: 7, seed: 103)
        _ = try await test.ledger.append(events)
        let queries = [
            with(SearchQuery(account: "acme")) { $0.text = "deploy"; $0.limit = 1_000 },
            with(SearchQuery(account: "acme")) { $0.country = "DE"; $0.limit = 1_000 },
            with(SearchQuery(account: "acme")) { $0.text = "alpha"; $0.country = "GB"; $0.limit = 1_000 },
        ]
        var before: [[UInt64]] = []
        for query in queries { before.append(try await test.ledger.search(query).events.map(\.seq)) }
        #expect(before.allSatisfy { $0.count > 5 }, "\(before.map(\.count))")
        await test.ledger.close()

        // Write the documents back as migrations 1–6 left them: the words alone.
        let connection = try SQLiteConnection(path: test.path)
        try rewindToMigration7(connection)
        try connection.execute("INSERT INTO events_fts (events_fts) VALUES ('delete-all')")
        let rows = try connection.statement("SELECT seq, canonical FROM events")
        let insert = try connection.statement("INSERT INTO events_fts (rowid, body) VALUES (?, ?)")
        while try rows.step() {
            try insert.bind(1, rows.int64(0))
            try insert.bind(2, FullText.document(for: try SQLiteLedger.decode(rows.blob(1)).content))
            try insert.run()
        }
        rows.reset()
        try connection.execute("DELETE FROM schema_migrations WHERE version >= 7")
        let day = DayWalk.day(of: events[0].content.occurredAt.microseconds)
        let dayEvents = try connection.scalarInt(
            "SELECT count(*) FROM events WHERE account = 'acme' AND occurred_at / 86400000000 = \(day)") ?? 0
        let countryEvents = try connection.scalarInt(
            "SELECT count(*) FROM events WHERE account = 'acme' AND country_code = 'DE'") ?? 0
        func eventsWithToken(_ token: String) throws -> Int64 {
            let statement = try connection.statement("SELECT count(*) FROM events_fts WHERE events_fts MATCH ?")
            defer { statement.reset() }
            try statement.bind(1, "\"" + token + "\"")
            return try statement.step() ? statement.int64(0) : -1
        }
        let dayToken = FullTextScope.dayToken(account: "acme", day: day)
        let countryToken = FullTextScope.accountCountryToken(account: "acme", country: "DE")
        #expect(try eventsWithToken(dayToken) == 0)
        #expect(try eventsWithToken(countryToken) == 0)

        let reopened = try SQLiteLedger(path: test.path, options: scoped)
        #expect(dayEvents > 10)
        #expect(countryEvents > 10)
        #expect(try eventsWithToken(dayToken) == dayEvents)
        #expect(try eventsWithToken(countryToken) == countryEvents)
        for (query, seqs) in zip(queries, before) {
            #expect(try await reopened.search(query).events.map(\.seq) == seqs)
        }
        #expect(try await reopened.verify(progress: nil).passed)
        await reopened.close()

        // A small account's country search reads the account/time index alone, and finds the same.
        let unscoped = try SQLiteLedger(path: test.path)
        for (query, seqs) in zip(queries, before) {
            #expect(try await unscoped.search(query).events.map(\.seq) == seqs)
        }
        await unscoped.close()
    }

    /// An event may carry another account's scope token in its own text. It then becomes one of
    /// that account's candidates, and the search's account filter must still keep it out; a
    /// search for the token's text looks for ordinary words, which no token is.
    @Test func aScopeTokenInAnEventsTextNeverLeaksItIntoAnotherAccount() async throws {
        let test = try TestLedger()
        var factory = EventFactory(seed: 107)
        var acme = factory.event()
        acme.content.account = "acme"
        acme.content.description = "deploy finished"
        let day = DayWalk.day(of: acme.content.occurredAt.microseconds)
        var intruder = factory.event()
        intruder.content.account = "globex"
        intruder.content.occurredAt = acme.content.occurredAt
        intruder.content.description = "deploy " + FullTextScope.dayToken(account: "acme", day: day) + " "
            + FullTextScope.countryToken(account: "acme", day: day, country: "DE")
        intruder.geo = GeoResult(status: .ok, location: GeoLocation(countryCode: "DE", city: "Berlin", latitude: 52.5, longitude: 13.4))
        let receipts = try await test.ledger.append([acme, intruder])
        let byText = with(SearchQuery(account: "acme")) { $0.text = "deploy" }
        #expect(try await test.ledger.search(byText).events.map(\.seq) == [receipts[0].seq])
        let byCountry = with(SearchQuery(account: "acme")) { $0.country = "DE" }
        #expect(try await test.ledger.search(byCountry).events.map(\.content.account).allSatisfy { $0 == "acme" })
        let byToken = with(SearchQuery(account: "globex")) { $0.text = FullTextScope.dayToken(account: "acme", day: day) }
        #expect(try await test.ledger.search(byToken).events.isEmpty)
        await test.ledger.close()
    }

    /// The tokens are stored in every ledger's full-text index, so their spelling may never change
    /// (a changed hash would hide every event written before). The values are the ones
    /// Benchmarks/LedgerBench/scope_tokens.py computes.
    @Test func scopeTokensKeepTheirStoredSpelling() {
        #expect(FullTextScope.dayToken(account: "acct-0001", day: 20_543) == "\u{E000}d1f6e21503842ddc8")
        #expect(FullTextScope.countryToken(account: "acme", day: -1, country: "DE") == "\u{E000}c8bf8c97498dc11b2")
        #expect(FullTextScope.accountCountryToken(account: "acme", country: "DE") == "\u{E000}a841d41707bfb5adb")
    }
}

/// `count` random events, spread round-robin over `days` consecutive days back from the factory's start.
func eventsOverDays(_ count: Int, days: Int, seed: UInt64) -> [NewEvent] {
    var factory = EventFactory(seed: seed)
    return (0..<count).map { index in
        var event = factory.event()
        event.content.occurredAt = event.content.occurredAt.adding(seconds: -Int64(index % days) * 86_400)
        return event
    }
}

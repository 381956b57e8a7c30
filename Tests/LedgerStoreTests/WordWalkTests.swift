import Foundation
import LedgerCore
import LedgerTestSupport
import Testing
@testable import LedgerStore

@Suite struct WordFilterTests {
    @Test func aDocumentsFilterHoldsTheBitsOfEachOfItsWordsInAnyCase() throws {
        let document = WordFilter(document: "Stack.Deploy by u_42 <ops@example.com>")
        for word in ["stack", "deploy", "by", "u", "42", "ops", "example", "com"] {
            #expect(document.contains(try #require(WordFilter(words: [word]))), "\(word)")
        }
        #expect(document.contains(try #require(WordFilter(words: ["stack", "deploy", "com"]))))
        #expect(!document.contains(try #require(WordFilter(words: ["rollback"]))))
        #expect(document != .everything)
    }

    /// unicode61 folds case and diacritics outside ASCII, which the filter does not repeat: such a
    /// document must pass every query, and a query word outside ASCII cannot use a filter.
    @Test func textOutsideASCIIIsLeftToTheFullTextIndex() {
        #expect(WordFilter(document: "déploiement réussi") == .everything)
        #expect(WordFilter(document: "deploy — done") == .everything)
        #expect(WordFilter(words: ["café"]) == nil)
        #expect(WordFilter(words: ["Deploy"]) == nil)
        #expect(WordFilter(words: [""]) == nil)
        #expect(WordFilter(words: [String]()) == WordFilter(document: ""))
    }

    /// The bits are stored in every ledger's account/time index, so they may never change: a
    /// changed hash would hide every event written before from full-text search. The values were
    /// computed apart, in Python: three bits of 64-bit FNV-1a per word (its bytes 0, 1 and 2).
    @Test func theBitsKeepTheirStoredSpelling() {
        let filter = WordFilter(document: "stack.deploy u_1")
        #expect(filter.lanes == SIMD4(7, 144_115_188_075_855_872, 17_595_474_379_008, 1_153_202_979_600_334_848))
    }

    @Test func aByteBelongsToAWordExactlyWhenItIsAnASCIILetterOrDigit() {
        for byte in UInt8.min...UInt8.max {
            let expected: UInt8? = switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte + 32
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): byte
            default: nil
            }
            #expect(WordFilter.wordByte(byte) == expected, "\(byte)")
        }
    }

    @Test func theExactCheckSplitsWordsAsTheTokenizerSplitsASCII() {
        #expect(WordMatch.document("Stack.Deploy by u_42", holdsAll: ["deploy", "u"]) == true)
        #expect(WordMatch.document("Stack.Deploy by u_42", holdsAll: ["deplo"]) == false)
        #expect(WordMatch.document("Stack.Deploy by u_42", holdsAll: ["deploy", "rollback"]) == false)
        #expect(WordMatch.document("x42y", holdsAll: ["42"]) == false)
        #expect(WordMatch.document("café", holdsAll: ["cafe"]) == nil)
    }
}

@Suite struct WordWalkTests {
    /// The walk and the full-text index's plan give the same pages, page after page, for words
    /// alone and with a country, an outcome and a time range, including words that only the
    /// index's tokenizer finds (folded from text outside ASCII); and so does a walk whose budget
    /// ends inside the range, which hands the older part to the index.
    @Test func theWalkFindsWhatTheFullTextIndexFinds() async throws {
        let test = try TestLedger()
        var events = eventsOverDays(600, days: 9, seed: 211)
        for (index, text) in ["Café Zürich alpha happened", "naïve déploiement bravo", "ALPHA charlie déjà"].enumerated() {
            events[index * 50].content.description = text
        }
        _ = try await test.ledger.append(events)
        let start = FixedClock.start
        let queries: [SearchQuery] = ["alpha", "alpha happened", "bravo echo", "jane delta", "cafe", "zurich alpha",
                                      "deploiement", "deja", "café", "nothing", "happened"].flatMap { text in
            [
                with(SearchQuery(account: "acme")) { $0.text = text; $0.limit = 7 },
                with(SearchQuery(account: "globex")) { $0.text = text; $0.limit = 50 },
                with(SearchQuery(account: "acme")) { $0.text = text; $0.country = "DE"; $0.limit = 5 },
                with(SearchQuery(account: "acme")) { $0.text = text; $0.outcome = .failure; $0.city = "tokyo" },
                with(SearchQuery(account: "acme")) {
                    $0.text = text; $0.from = start.adding(seconds: -5 * 86_400); $0.to = start.adding(seconds: -2 * 86_400)
                    $0.limit = 11
                },
            ]
        }
        let connection = try SQLiteConnection(path: test.path)
        var walked: [[UInt64]] = []
        for query in queries {
            let asciiWords = FullText.words(in: query.text ?? "").allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }
            let walk = try test.ledger.wordWalk(query, names: nil, connection)
            #expect((walk != nil) == asciiWords, "\(query.text ?? "")")
            #expect(walk?.from == nil, "a 600-event ledger is walked whole")
            walked.append(try await allPages(query, test.ledger))
        }
        #expect(walked.filter { !$0.isEmpty }.count >= 25)
        await test.ledger.close()

        let budgeted = try SQLiteLedger(path: test.path, options: with(SQLiteLedger.Options()) { $0.wordWalkEntries = 40 })
        var handedOver = 0
        for (query, seqs) in zip(queries, walked) {
            if try budgeted.wordWalk(query, names: nil, connection)?.from != nil { handedOver += 1 }
            #expect(try await allPages(query, budgeted) == seqs, "\(query)")
        }
        #expect(handedOver > 20)
        await budgeted.close()

        let indexed = try SQLiteLedger(path: test.path, options: with(SQLiteLedger.Options()) { $0.wordWalkEntries = 0 })
        for (query, seqs) in zip(queries, walked) {
            #expect(try indexed.wordWalk(query, names: nil, connection) == nil)
            #expect(try await allPages(query, indexed) == seqs, "\(query)")
        }
        await indexed.close()
    }

    /// A word rare in the account, with many rows whose filter holds its bits anyway: the walk
    /// stops after `rejectionLimit` of them and the full-text index finds the rest, older, rows.
    @Test func aFilterThatLetsThroughTooManyRowsHandsTheRestToTheFullTextIndex() async throws {
        let needle = try #require(WordFilter(words: ["needle"]))
        // Words that between them set every bit of the needle's.
        var cover: [String] = []
        for lane in 0..<4 {
            var bits = needle.lanes[lane]
            while bits != 0 {
                let bit = bits & (0 &- bits)
                bits &= bits - 1
                cover.append(try #require((0..<100_000).lazy.map { "w\($0)" }.first { WordFilter(words: [$0])!.lanes[lane] & bit != 0 }))
            }
        }
        let decoy = cover.joined(separator: " ")
        #expect(WordFilter(document: decoy).contains(needle) && !decoy.contains("needle"))

        let test = try TestLedger()
        var factory = EventFactory(seed: 223)
        func event(_ description: String, minutesAgo: Int64) -> NewEvent {
            var event = factory.event()
            event.content.account = "acme"
            event.content.actor = EventActor(id: "u_1")
            event.content.targets = []
            event.content.description = description
            event.content.occurredAt = FixedClock.start.adding(seconds: -60 * minutesAgo)
            return event
        }
        let needles = (0..<5).map { event("found the needle", minutesAgo: 1_000 + Int64($0)) }
        let decoyEvents = (0..<Int64(WordWalk.rejectionLimit + 50)).map { event(decoy, minutesAgo: $0) }
        let receipts = try await test.ledger.append(needles + decoyEvents)
        let query = with(SearchQuery(account: "acme")) { $0.text = "needle" }

        let connection = try SQLiteConnection(path: test.path)
        let walk = try #require(try test.ledger.wordWalk(query, names: nil, connection))
        var events: [StoredEvent] = []
        let resume = try #require(try walk.read(into: &events, pageSize: query.limit + 1, connection))
        #expect(events.isEmpty)
        #expect(resume.occurredAt > needles[0].content.occurredAt)
        let page = try await test.ledger.search(query)
        #expect(page.events.map(\.seq) == receipts.prefix(5).map(\.seq))
        await test.ledger.close()
    }

    /// Events stored before schema migration 8 have no word filter: their accounts keep the
    /// full-text plan, an account started after the migration walks, and so does every account
    /// of a copy.
    @Test func accountsWithEventsStoredBeforeTheFiltersKeepTheFullTextPlan() async throws {
        let test = try TestLedger()
        _ = try await test.ledger.append(eventsOverDays(300, days: 3, seed: 227))
        let query = with(SearchQuery(account: "acme")) { $0.text = "alpha"; $0.limit = 1_000 }
        let before = try await test.ledger.search(query).events.map(\.seq)
        #expect(before.count > 10)
        await test.ledger.close()

        // Put the schema back as migrations 1–7 left it.
        let connection = try SQLiteConnection(path: test.path)
        try rewindToMigration7(connection)

        let reopened = try SQLiteLedger(path: test.path)
        #expect(reopened.wordFiltersFromSeq == 301)
        #expect(try reopened.wordWalk(query, names: nil, connection) == nil)
        #expect(try await reopened.search(query).events.map(\.seq) == before)
        var factory = EventFactory(seed: 229)
        var newcomer = factory.event()
        newcomer.content.account = "hooli"
        newcomer.content.description = "alpha happened"
        let receipt = try await reopened.append([newcomer])[0]
        let newcomerQuery = with(SearchQuery(account: "hooli")) { $0.text = "alpha" }
        #expect(try reopened.wordWalk(newcomerQuery, names: nil, connection) != nil)
        #expect(try await reopened.search(newcomerQuery).events.map(\.seq) == [receipt.seq])
        #expect(try await reopened.verify(progress: nil).passed)

        // A copy (`auditledger migrate`) writes every event again, filters and all: its old
        // accounts walk, and find the same.
        let copy = try TestLedger()
        _ = try await LedgerCopier(source: reopened, destination: copy.ledger).run()
        #expect(copy.ledger.wordFiltersFromSeq == 1)
        let copyConnection = try SQLiteConnection(path: copy.path)
        #expect(try copy.ledger.wordWalk(query, names: nil, copyConnection) != nil)
        #expect(try await copy.ledger.search(query).events.map(\.seq) == before)
        await copy.ledger.close()
        await reopened.close()
    }
}

@Suite struct WordFilterVerifyTests {
    /// The filter columns are derived from the hashed event, and a changed filter would hide the
    /// event from full-text search, so verify checks them: a wrong filter and a NULL where a
    /// filter belongs both fail, naming the event.
    @Test func verifyNamesAnEventWhoseWordFilterIsNotItsWords() async throws {
        let test = try TestLedger()
        _ = try await test.ledger.append(eventsOverDays(20, days: 2, seed: 233))
        #expect(try await test.ledger.verify(progress: nil).passed)
        let connection = try SQLiteConnection(path: test.path)
        let original = try #require(try connection.scalarInt("SELECT words_2 FROM events WHERE seq = 7"))
        try connection.execute("DROP TRIGGER events_no_update; UPDATE events SET words_2 = \(original ^ 1) WHERE seq = 7")
        var report = try await test.ledger.verify(progress: nil)
        #expect(report.firstFailure?.seq == 7)
        #expect(report.firstFailure?.reason.contains("words_0…words_3") == true, "\(String(describing: report.firstFailure))")

        try connection.execute("UPDATE events SET words_2 = \(original) WHERE seq = 7; UPDATE events SET words_0 = NULL WHERE seq = 12")
        report = try await test.ledger.verify(progress: nil)
        #expect(report.firstFailure?.seq == 12)
        #expect(report.firstFailure?.reason.contains("words_0…words_3") == true)
        await test.ledger.close()
    }
}

/// Undoes schema migration 8: the word-filter columns, the index that holds them and the row
/// that says where the filters begin.
func rewindToMigration7(_ connection: SQLiteConnection) throws {
    try connection.execute("""
        DELETE FROM ledger_meta WHERE key = 'word_filters_from_seq';
        DROP INDEX events_account_time;
        CREATE INDEX events_account_time ON events (account, occurred_at, seq, country_code, city);
        ALTER TABLE events DROP COLUMN words_0;
        ALTER TABLE events DROP COLUMN words_1;
        ALTER TABLE events DROP COLUMN words_2;
        ALTER TABLE events DROP COLUMN words_3;
        DELETE FROM schema_migrations WHERE version >= 8;
        """)
}

/// The seqs of every page of the query, following the cursors.
private func allPages(_ query: SearchQuery, _ ledger: SQLiteLedger) async throws -> [UInt64] {
    var query = query
    var seqs: [UInt64] = []
    while true {
        let page = try await ledger.search(query)
        seqs += page.events.map(\.seq)
        guard let cursor = page.nextCursor else { return seqs }
        query.cursor = cursor
    }
}

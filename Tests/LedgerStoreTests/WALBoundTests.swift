import Foundation
import LedgerCore
import LedgerTestSupport
import Testing
@testable import LedgerStore

/// The WAL must not grow without bound under sustained ingest (WALCheckpointer), and a reader
/// holding an old snapshot (an export, a verify) must neither break nor block it.
@Suite struct WALBoundTests {
    static func options() -> SQLiteLedger.Options {
        var options = SQLiteLedger.Options()
        options.maxGroupEvents = 1_000
        options.checkpointEveryEvents = 1_000
        options.walRestartBytes = 1 << 20
        return options
    }

    static func walBytes(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int) ?? 0
    }

    @Test func walStaysBoundedUnderSustainedAppends() async throws {
        let test = try TestLedger(options: Self.options())
        var factory = EventFactory(seed: 71)
        var largest = 0
        for _ in 0..<30 {
            _ = try await test.ledger.append((0..<1_000).map { _ in factory.event() })
            largest = max(largest, Self.walBytes(test.path))
        }
        // 30,000 events write far more than this through the WAL; it keeps starting over instead.
        #expect(largest < 16 << 20, "WAL reached \(largest) bytes")
        #expect(try await test.ledger.verify(progress: nil).passed)
        await test.ledger.close()
    }

    @Test func readerHoldingASnapshotDelaysTheRestartButBreaksNothing() async throws {
        let test = try TestLedger(options: Self.options())
        var factory = EventFactory(seed: 72)
        _ = try await test.ledger.append((0..<1_000).map { _ in factory.event() })
        let reader = try SQLiteConnection(path: test.path)
        try reader.execute("BEGIN DEFERRED")
        #expect(try reader.scalarInt("SELECT count(*) FROM events") == 1_000)
        for _ in 0..<10 {
            _ = try await test.ledger.append((0..<1_000).map { _ in factory.event() })
        }
        // The snapshot still reads as it was, while the writer went on.
        #expect(try reader.scalarInt("SELECT count(*) FROM events") == 1_000)
        try reader.execute("COMMIT")
        var last = 0
        for _ in 0..<10 {
            _ = try await test.ledger.append((0..<1_000).map { _ in factory.event() })
            last = Self.walBytes(test.path)
        }
        #expect(last < 16 << 20, "WAL still \(last) bytes after the reader let go")
        #expect(try reader.scalarInt("SELECT count(*) FROM events") == 21_000)
        #expect(try await test.ledger.verify(progress: nil).passed)
        await test.ledger.close()
    }
}

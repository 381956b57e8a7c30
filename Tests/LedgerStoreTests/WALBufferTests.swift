import Foundation
import LedgerCore
import LedgerTestSupport
import Testing
@testable import LedgerStore

/// Ledger connections open through the buffered-WAL VFS (`wal_buffer.c`): a commit's frames
/// reach the file in a few large writes, and nothing another connection, a crash or SQLite's own
/// reads can observe may differ from the default VFS.
@Suite struct WALBufferTests {
    /// A scratch database in WAL mode with one table of rows padded to `rowBytes`.
    struct Scratch {
        let directory: URL
        let path: String

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("auditledger-walbuffer-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            path = directory.appendingPathComponent("scratch.sqlite").path
        }

        func open(synchronous: String = "FULL") throws -> SQLiteConnection {
            let connection = try SQLiteConnection(path: path)
            try connection.execute("""
                PRAGMA journal_mode = WAL; PRAGMA synchronous = \(synchronous);
                CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, body BLOB NOT NULL);
                CREATE INDEX IF NOT EXISTS rows_body ON rows (body);
                """)
            return connection
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    static func insertRows(_ connection: SQLiteConnection, from first: Int, count: Int, rowBytes: Int = 600) throws {
        let insert = try connection.statement("INSERT INTO rows (id, body) VALUES (?, randomblob(?))")
        for id in first..<(first + count) {
            try insert.bind(1, Int64(id))
            try insert.bind(2, Int64(rowBytes))
            try insert.run()
        }
    }

    @Test func aCommitsFramesReachTheFileInAFewWrites() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let connection = try scratch.open()
        // As the ledger's writer does, a cache that holds the whole transaction: nothing spills
        // (`aTransactionReadsBackPagesItSpilled` is the other case).
        try connection.execute("PRAGMA cache_size = -65536")
        try connection.transaction { try Self.insertRows(connection, from: 1, count: 2_000) }
        let counts = try #require(connection.walWriteCounts, "the WAL is not buffered")
        let frames = try Self.walFrames(scratch.path)
        // SQLite writes a header and a page for every frame; 120 KiB buffers hold 29 frames each.
        #expect(frames > 300)
        #expect(counts.requested >= 2 * Int64(frames))
        #expect(counts.toFile <= Int64(frames) / 20 + 4, "\(counts.toFile) writes for \(frames) frames")
    }

    /// Frames in the WAL file: (size - 32-byte header) / (24-byte frame header + page).
    static func walFrames(_ path: String) throws -> Int {
        let size = try #require((try FileManager.default.attributesOfItem(atPath: path + "-wal"))[.size] as? Int)
        return (size - 32) / (24 + 4096)
    }

    /// With `synchronous` OFF or NORMAL SQLite never syncs at a commit, so only the flush after a
    /// commit frame puts the frames in the file before the wal-index makes them visible.
    @Test(arguments: ["OFF", "NORMAL", "FULL"])
    func anotherConnectionSeesEveryCommit(synchronous: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let writer = try scratch.open(synchronous: synchronous)
        let reader = try scratch.open()
        var stored = 0
        for commit in 0..<60 {
            let count = 1 + commit % 7
            try writer.transaction { try Self.insertRows(writer, from: stored + 1, count: count) }
            stored += count
            #expect(try reader.scalarInt("SELECT count(*) FROM rows") == Int64(stored))
            #expect(try reader.scalarInt("SELECT sum(length(body)) FROM rows") == Int64(stored * 600))
        }
        #expect(try reader.scalarText("PRAGMA integrity_check") == "ok")
    }

    /// A transaction larger than the page cache spills pages to the WAL before it commits and
    /// reads them back from there: the reads must see what the buffer still holds.
    @Test func aTransactionReadsBackPagesItSpilled() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let writer = try scratch.open()
        try writer.execute("PRAGMA cache_size = 20")
        try writer.transaction {
            try Self.insertRows(writer, from: 1, count: 3_000)
            // Every page of the table and its index, read back inside the same transaction.
            #expect(try writer.scalarInt("SELECT count(*) FROM rows WHERE length(body) = 600") == 3_000)
            #expect(try writer.scalarInt("SELECT count(*) FROM rows INDEXED BY rows_body WHERE body > x''") == 3_000)
        }
        let reader = try scratch.open()
        #expect(try reader.scalarInt("SELECT count(*) FROM rows") == 3_000)
        #expect(try reader.scalarText("PRAGMA integrity_check") == "ok")
    }

    /// After the WAL restarts from its start, and after the connections close and the file is
    /// opened again (recovery from the WAL file alone), every row is there.
    @Test func restartsAndReopeningKeepEveryRow() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        do {
            let writer = try scratch.open()
            try writer.execute("PRAGMA wal_autocheckpoint = 0")
            for round in 0..<5 {
                try writer.transaction { try Self.insertRows(writer, from: round * 500 + 1, count: 500) }
                _ = try writer.scalarInt("PRAGMA wal_checkpoint(RESTART)")
            }
            try writer.transaction { try Self.insertRows(writer, from: 2_501, count: 500) }
            // Copy the files while the WAL still holds the last commit, as a crash would leave them.
            for suffix in ["", "-wal"] {
                try FileManager.default.copyItem(atPath: scratch.path + suffix, toPath: scratch.path + ".copy" + suffix)
            }
        }
        for path in [scratch.path, scratch.path + ".copy"] {
            let reopened = try SQLiteConnection(path: path)
            #expect(try reopened.scalarInt("SELECT count(*) FROM rows") == 3_000, "\(path)")
            #expect(try reopened.scalarText("PRAGMA integrity_check") == "ok")
        }
    }
}

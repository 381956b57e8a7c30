import Foundation
import LedgerCore
@testable import LedgerPostgres
@testable import LedgerStore
import LedgerTestSupport
import PostgresNIO
import PostgresTestSupport

/// The storage backends every conformance test runs against.
enum Backend: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite, postgres
    var description: String { rawValue }
}

typealias TestableLedger = any LedgerRepository & TokenRepository

/// One fresh ledger of a backend (a temporary SQLite file, or a database of its own on the test
/// PostgreSQL server), plus the raw access an attacker or operator with the database would have.
final class LedgerFixture: @unchecked Sendable {
    let backend: Backend
    /// The SQLite file path or the PostgreSQL URL.
    let location: String
    private(set) var ledger: TestableLedger
    private let clock: @Sendable () -> Timestamp
    private let directory: URL?
    private let databaseName: String?
    private var open: [TestableLedger] = []

    private init(backend: Backend, location: String, ledger: TestableLedger, clock: @escaping @Sendable () -> Timestamp,
                 directory: URL?, databaseName: String?) {
        self.backend = backend
        self.location = location
        self.ledger = ledger
        self.clock = clock
        self.directory = directory
        self.databaseName = databaseName
        open = [ledger]
    }

    static func make(_ backend: Backend, clock: @escaping @Sendable () -> Timestamp = { FixedClock.start }) async throws -> LedgerFixture {
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("auditledger-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("ledger.sqlite").path
            let ledger = try SQLiteLedger(path: path, options: sqliteOptions, clock: clock)
            return LedgerFixture(backend: backend, location: path, ledger: ledger, clock: clock, directory: directory, databaseName: nil)
        case .postgres:
            let database = try await PostgresTestCluster.shared.createDatabase()
            let ledger = try await PostgresLedger.open(url: database.url, options: testOptions, clock: clock)
            return LedgerFixture(backend: backend, location: database.url, ledger: ledger, clock: clock, directory: nil,
                                 databaseName: database.name)
        }
    }

    /// Every country search goes through the full-text scope tokens, which a default ledger uses
    /// only for accounts larger than these tests write.
    static var sqliteOptions: SQLiteLedger.Options {
        var options = SQLiteLedger.Options()
        options.countryScanLimit = 0
        return options
    }

    /// Small pools: many tests run at once against one server.
    static var testOptions: PostgresLedger.Options {
        var options = PostgresLedger.Options()
        options.maxConnections = 4
        return options
    }

    /// Another instance on the same store: a reopened ledger, or a second node.
    func openAnother(create: Bool = false) async throws -> TestableLedger {
        let another: TestableLedger = switch backend {
        case .sqlite: try SQLiteLedger(path: location, create: create, options: Self.sqliteOptions, clock: clock)
        case .postgres: try await PostgresLedger.open(url: location, create: create, options: Self.testOptions, clock: clock)
        }
        open.append(another)
        return another
    }

    /// Closes the current instance and opens the store again as `ledger`.
    func reopen() async throws {
        await close()
        ledger = try await openAnother()
    }

    /// Closes the current instance (a closed ledger refuses appends).
    func close() async {
        await ledger.close()
        open.removeAll { $0 as AnyObject === ledger as AnyObject }
    }

    /// Closes every instance and removes the store.
    func finish() async {
        for ledger in open { await ledger.close() }
        open = []
        if let directory { try? FileManager.default.removeItem(at: directory) }
        if let databaseName { try? await PostgresTestCluster.shared.dropDatabase(databaseName) }
    }

    // MARK: Raw SQL, as someone with write access to the database

    /// Runs SQL with the append-only triggers in force (it should be refused).
    func execute(_ sql: String) async throws {
        switch backend {
        case .sqlite: try SQLiteConnection(path: location).execute(sql)
        case .postgres: try await withPostgres { connection in
            for statement in Self.statements(sql) { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: PostgresTestCluster.quietLogger) }
        }
        }
    }

    /// Runs SQL with the append-only triggers out of the way, and leaves them as they were.
    func tamper(_ sql: String) async throws {
        switch backend {
        case .sqlite:
            let connection = try SQLiteConnection(path: location)
            try connection.execute("BEGIN IMMEDIATE")
            let triggers = try Self.sqliteTriggers(connection)
            for (name, _) in triggers { try connection.execute("DROP TRIGGER \(name)") }
            try connection.execute(sql)
            for (_, definition) in triggers { try connection.execute(definition) }
            try connection.execute("COMMIT")
        case .postgres:
            try await withPostgres { connection in
                let logger = PostgresTestCluster.quietLogger
                try await connection.query("BEGIN", logger: logger)
                try await connection.query("SET LOCAL session_replication_role = replica", logger: logger)
                for statement in Self.statements(sql) { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                try await connection.query("COMMIT", logger: logger)
            }
        }
    }

    /// Drops one append-only trigger, as an attacker preparing an edit would.
    func dropTrigger(_ table: String, _ operation: String) async throws {
        let name = "\(table)_no_\(operation)"
        try await execute(backend == .sqlite ? "DROP TRIGGER \(name)" : "DROP TRIGGER \(name) ON \(table)")
    }

    /// A literal for `bytes` in the backend's SQL.
    func blob(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        return backend == .sqlite ? "X'\(hex)'" : "'\\x\(hex)'::bytea"
    }

    /// `, words_0 = …` for every column a row derives from the event's words (SQLite's word
    /// filter; PostgreSQL has none), for a forger who rewrites a row and recomputes all of it.
    func wordFilterAssignments(_ content: EventContent) -> String {
        guard backend == .sqlite else { return "" }
        let columns = WordFilter(document: FullText.document(for: content)).columns
        return columns.enumerated().map { ", words_\($0.offset) = \($0.element)" }.joined()
    }

    /// The statement written for this backend's dialect.
    func sql(sqlite: String, postgres: String) -> String { backend == .sqlite ? sqlite : postgres }

    /// The canonical bytes stored for `seq`.
    func storedCanonical(seq: UInt64) async throws -> [UInt8] {
        switch backend {
        case .sqlite:
            let statement = try SQLiteConnection(path: location).statement("SELECT canonical FROM events WHERE seq = ?")
            try statement.bind(1, Int64(seq))
            guard try statement.step(), let bytes = statement.blob(0) else { throw FixtureError.missingRow(seq) }
            return bytes
        case .postgres:
            return try await withPostgres { connection in
                let rows = try await connection.query("SELECT canonical FROM events WHERE seq = \(Int64(seq))",
                                                      logger: PostgresTestCluster.quietLogger)
                for try await bytes in rows.decode(ByteBuffer.self) { return Array(bytes.readableBytesView) }
                throw FixtureError.missingRow(seq)
            }
        }
    }

    func withPostgres<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await PostgresTestCluster.connect(location)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private static func statements(_ sql: String) -> [String] {
        sql.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    private static func sqliteTriggers(_ connection: SQLiteConnection) throws -> [(String, String)] {
        let statement = try connection.statement("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        var triggers: [(String, String)] = []
        while try statement.step() {
            if let name = statement.text(0), let sql = statement.text(1) { triggers.append((name, sql)) }
        }
        statement.reset()
        return triggers
    }

    enum FixtureError: Error { case missingRow(UInt64) }
}

/// Runs `body` on a fresh ledger of `backend` and removes it afterwards, whatever happens.
func withLedger(_ backend: Backend, clock: @escaping @Sendable () -> Timestamp = { FixedClock.start },
                _ body: (LedgerFixture) async throws -> Void) async throws {
    let fixture = try await LedgerFixture.make(backend, clock: clock)
    do {
        try await body(fixture)
    } catch {
        await fixture.finish()
        throw error
    }
    await fixture.finish()
}

import Foundation
import Logging
@testable import LedgerPostgres
import PostgresNIO

/// The PostgreSQL server the tests use: `$AUDITLEDGER_TEST_POSTGRES_URL` when set, otherwise a
/// throw-away cluster this test process starts once with `scripts/pg-cluster` and stops at exit.
/// Every test gets a database of its own, so tests run in parallel without seeing each other.
public actor PostgresTestCluster {
    public static let shared = PostgresTestCluster()
    public static let environmentVariable = "AUDITLEDGER_TEST_POSTGRES_URL"

    private var started: Task<String, Error>?

    /// The URL of the server's maintenance database (where test databases are created from).
    public func adminURL() async throws -> String {
        if let started { return try await started.value }
        let task = Task { () throws -> String in
            if let url = ProcessInfo.processInfo.environment[Self.environmentVariable], !url.isEmpty { return url }
            return try Self.startCluster()
        }
        started = task
        return try await task.value
    }

    /// A new, empty database and its URL.
    public func createDatabase() async throws -> (name: String, url: String) {
        let admin = try await adminURL()
        let name = "ledger_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await Self.run("CREATE DATABASE \(name)", adminURL: admin)
        return (name, try Self.url(admin, database: name))
    }

    public func dropDatabase(_ name: String) async throws {
        try await Self.run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", adminURL: try await adminURL())
    }

    /// Refuses new connections to `database` and ends the ones it has (a database outage as a
    /// node sees it), or lets connections in again. Test database names need no quoting.
    public func setConnections(allowed: Bool, database: String) async throws {
        let admin = try await adminURL()
        try await Self.run("ALTER DATABASE \(database) WITH ALLOW_CONNECTIONS \(allowed)", adminURL: admin)
        if !allowed {
            try await Self.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)'", adminURL: admin)
        }
    }

    /// `url` with its database replaced.
    public static func url(_ url: String, database: String) throws -> String {
        guard var components = URLComponents(string: url) else { throw PostgresLedgerError.invalidURL(url, reason: "test URL") }
        components.path = "/" + database
        return components.string ?? url
    }

    /// A raw connection, as an operator (or attacker) with SQL access would use.
    public static func connect(_ url: String) async throws -> PostgresConnection {
        try await PostgresConnection.connect(configuration: try PostgresURL(url).connectionConfiguration, id: 1, logger: quietLogger)
    }

    public static let quietLogger = Logger(label: "test.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    private static func run(_ sql: String, adminURL: String) async throws {
        let connection = try await connect(adminURL)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: quietLogger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private var replica: Task<String, Error>?

    /// The URL of `database` on a streaming replica (hot standby) of the test cluster, started
    /// once per process with `scripts/pg-cluster replica`. Needs a cluster made by that script:
    /// the one this process started, or the one `$AUDITLEDGER_TEST_POSTGRES_URL` names by its
    /// socket directory.
    public func replicaURL(database: String) async throws -> String {
        let admin = try await adminURL()
        if replica == nil {
            replica = Task { () throws -> String in
                guard let primary = URLComponents(string: admin)?.queryItems?.first(where: { $0.name == "host" })?.value,
                      FileManager.default.fileExists(atPath: primary + "/data/PG_VERSION") else {
                    throw ClusterError(message: "a replica needs a cluster made by scripts/pg-cluster; \(admin) is not one")
                }
                let directory = primary + "-replica"
                let output = try Self.runScript(["replica", primary, directory])
                startedReplicaDirectory = directory
                guard let url = output.split(separator: "\n").last.map(String.init), url.hasPrefix("postgres") else {
                    throw ClusterError(message: "scripts/pg-cluster printed no replica URL: \(output)")
                }
                return url
            }
        }
        return try Self.url(try await replica!.value, database: database)
    }

    /// Waits until the replica has replayed the creation of `database` and its ledger schema.
    public func waitForReplica(database: String, timeout: Duration = .seconds(30)) async throws {
        let url = try await replicaURL(database: database)
        let deadline = ContinuousClock.now + timeout
        while true {
            if let connection = try? await Self.connect(url) {
                let rows = try? await connection.query("SELECT count(*) FROM pg_tables WHERE tablename = 'events'", logger: Self.quietLogger)
                var found = false
                if let rows { for try await (count) in rows.decode(Int.self) { found = count > 0 } }
                try? await connection.close()
                if found { return }
            }
            guard ContinuousClock.now < deadline else { throw ClusterError(message: "the replica did not replay \(database) in time") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private static func startCluster() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("alpg-\(UUID().uuidString.prefix(8))").path
        let output = try runScript(["start", directory])
        startedClusterDirectory = directory
        atexit(stopStartedCluster)
        guard let url = output.split(separator: "\n").last.map(String.init), url.hasPrefix("postgres") else {
            throw ClusterError(message: "scripts/pg-cluster printed no URL: \(output)")
        }
        return try Self.url(url, database: "postgres")
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/pg-cluster").path

    @discardableResult
    static func runScript(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard exitStatus(of: process) == 0 else {
            throw ClusterError(message: "scripts/pg-cluster \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
    }

    /// The script's exit status. Reaped here with `waitpid`: Foundation's `waitUntilExit` was
    /// seen to miss the child's exit (a zombie left waiting) while other tests start processes.
    private static func exitStatus(of process: Process) -> Int32 {
        var status: Int32 = 0
        if waitpid(process.processIdentifier, &status, 0) == process.processIdentifier {
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }
        // Foundation reaped it first, so it knows the status.
        process.waitUntilExit()
        return process.terminationStatus
    }

    struct ClusterError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

/// The cluster this process started, stopped at exit by `stopStartedCluster` (an `atexit`
/// handler is a C function and cannot capture it).
nonisolated(unsafe) private var startedClusterDirectory: String?

/// The replica of that cluster, when a test asked for one; stopped first.
nonisolated(unsafe) private var startedReplicaDirectory: String?

private func stopStartedCluster() {
    if let replica = startedReplicaDirectory {
        _ = try? PostgresTestCluster.runScript(["stop", replica])
        try? FileManager.default.removeItem(atPath: replica)
    }
    guard let directory = startedClusterDirectory else { return }
    _ = try? PostgresTestCluster.runScript(["stop", directory])
    try? FileManager.default.removeItem(atPath: directory)
}

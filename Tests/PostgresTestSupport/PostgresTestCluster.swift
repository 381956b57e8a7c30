import Foundation
import Logging
@testable import LedgerPostgres
import PostgresNIO

/// The PostgreSQL server the tests use: `$AUDITLEDGER_TEST_POSTGRES_URL` when set, otherwise a
/// throw-away cluster this test process starts once with `scripts/pg-cluster` and stops at exit.
/// Every test gets a database of its own, so tests run in parallel without seeing each other.
actor PostgresTestCluster {
    static let shared = PostgresTestCluster()
    static let environmentVariable = "AUDITLEDGER_TEST_POSTGRES_URL"

    private var started: Task<String, Error>?

    /// The URL of the server's maintenance database (where test databases are created from).
    func adminURL() async throws -> String {
        if let started { return try await started.value }
        let task = Task { () throws -> String in
            if let url = ProcessInfo.processInfo.environment[Self.environmentVariable], !url.isEmpty { return url }
            return try Self.startCluster()
        }
        started = task
        return try await task.value
    }

    /// A new, empty database and its URL.
    func createDatabase() async throws -> (name: String, url: String) {
        let admin = try await adminURL()
        let name = "ledger_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await Self.run("CREATE DATABASE \(name)", adminURL: admin)
        return (name, try Self.url(admin, database: name))
    }

    func dropDatabase(_ name: String) async throws {
        try await Self.run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", adminURL: try await adminURL())
    }

    /// `url` with its database replaced.
    static func url(_ url: String, database: String) throws -> String {
        guard var components = URLComponents(string: url) else { throw PostgresLedgerError.invalidURL(url, reason: "test URL") }
        components.path = "/" + database
        return components.string ?? url
    }

    /// A raw connection, as an operator (or attacker) with SQL access would use.
    static func connect(_ url: String) async throws -> PostgresConnection {
        try await PostgresConnection.connect(configuration: try PostgresURL(url).connectionConfiguration, id: 1, logger: quietLogger)
    }

    static let quietLogger = Logger(label: "test.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

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

private func stopStartedCluster() {
    guard let directory = startedClusterDirectory else { return }
    _ = try? PostgresTestCluster.runScript(["stop", directory])
    try? FileManager.default.removeItem(atPath: directory)
}

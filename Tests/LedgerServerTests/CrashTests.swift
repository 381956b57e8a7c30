import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LedgerCore
import LedgerStore
import Testing

/// The real executable as a child process: acknowledged events survive `kill -9`, and the
/// restarted server drains and exits cleanly on SIGTERM.
@Suite("Crash safety", .serialized)
struct CrashTests {
    /// `auditledger` built beside this test bundle (`swift build --build-tests` builds both).
    static var executable: URL {
        get throws {
            let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            let candidates = [
                ProcessInfo.processInfo.environment["AUDITLEDGER_BIN"].map(URL.init(fileURLWithPath:)),
                bundleDirectory.appendingPathComponent("auditledger"),
                bundleDirectory.deletingLastPathComponent().appendingPathComponent("auditledger"),
                TestServer.packageRoot.appendingPathComponent(".build/debug/auditledger"),
            ].compactMap { $0 }
            return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                                "build the executable first: swift build --build-tests")
        }
    }

    @Test func everyAcknowledgedEventSurvivesSIGKILL() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("auditledger-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("ledger.sqlite").path
        let ledger = try SQLiteLedger(path: db)
        try await ServerProcess.installSigningKey(ledger, db: db)
        let ingest = try await ledger.createToken(account: "acme", scope: .ingest, name: nil).secret
        let read = try await ledger.createToken(account: "acme", scope: .read, name: nil).secret
        await ledger.close()

        let first = try await ServerProcess.start(executable: Self.executable, db: db)
        let acknowledged = AcknowledgedEvents()
        let session = URLSession(configuration: .ephemeral)
        let writers = (0..<8).map { writer in
            Task { await acknowledged.post(to: first, token: ingest, idPrefix: "w\(writer)-", name: "crash.test", session: session) }
        }
        // Let the writers get going, then kill the server mid-flight.
        while await acknowledged.count < 50 { try await Task.sleep(for: .milliseconds(20)) }
        first.kill(signal: SIGKILL)
        for writer in writers { await writer.value }
        let acked = await acknowledged.all
        #expect(acked.count >= 50)

        let second = try await ServerProcess.start(executable: Self.executable, db: db)
        for (id, hash) in acked {
            var request = URLRequest(url: second.url("/v1/events/\(id)"), timeoutInterval: 5)
            request.setValue("Bearer \(read)", forHTTPHeaderField: "Authorization")
            let (data, response) = try await session.data(for: request)
            #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(id) acknowledged but missing")
            #expect(try JSONParser().parse(Array(data))["hash"]?.stringValue == hash)
        }
        // Graceful shutdown: SIGTERM drains and exits 0.
        #expect(second.stop() == 0)

        let verify = Process()
        verify.executableURL = try Self.executable
        verify.arguments = ["verify", "--db", db]
        verify.standardOutput = FileHandle.nullDevice
        try verify.run()
        verify.waitUntilExit()
        #expect(verify.terminationStatus == 0)
    }
}

actor AcknowledgedEvents {
    private var events: [String: String] = [:]
    private var stopped = false
    func add(id: String, hash: String) { events[id] = hash }
    var count: Int { events.count }
    var all: [String: String] { events }

    /// Ends every `post` loop after its request in flight. Writers are stopped this way, never
    /// by cancelling their tasks: cancelling a task inside swift-corelibs-foundation's
    /// `URLSession.data(for:)` can deadlock the process. The cancellation handler holds the
    /// task's status lock while it waits for URLSession's queue, and that queue waits for the
    /// same lock to resume the request's continuation; every HTTP request of every test then
    /// hangs (seen as the whole suite stuck, with gdb on the test process).
    func stop() { stopped = true }

    /// Posts single events (ids `idPrefix0`, `idPrefix1`, …) to `server` one after another until
    /// `stop()` or the server stops answering, noting each one acknowledged with a 201.
    nonisolated func post(to server: ServerProcess, token: String, idPrefix: String, name: String, session: URLSession) async {
        var index = 0
        while await !stopped {
            let id = "\(idPrefix)\(index)"
            index += 1
            var request = URLRequest(url: server.url("/v1/events"), timeoutInterval: 10)
            request.httpMethod = "POST"
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(#"{"id":"\#(id)","name":"\#(name)","actor":{"id":"u"}}"#.utf8)
            guard let (data, response) = try? await session.data(for: request) else { return }
            if (response as? HTTPURLResponse)?.statusCode == 201,
               let hash = try? JSONParser().parse(Array(data))["hash"]?.stringValue {
                await add(id: id, hash: hash)
            }
        }
    }
}

/// `auditledger serve` on a free port, found from its "listening" log line.
final class ServerProcess: @unchecked Sendable {
    let process: Process
    let port: Int

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    /// What `auditledger init` does for a ledger: a signing key in `<db>.key` (which `serve`
    /// loads by default) and the ledger's record of its public half.
    @discardableResult
    static func installSigningKey(_ ledger: SQLiteLedger, db: String) async throws -> NoteSigner {
        let signer = try NoteSigner.generate(name: "auditledger.test/live")
        try LedgerKeyFile.create(at: db + ".key", signer: signer)
        try await ledger.setIdentity(LedgerIdentity(signer: signer))
        return signer
    }

    /// `serve --db DB` (`db` nil: no `--db`, so the default in `directory`) on a free port.
    static func start(executable: URL, db: String?, arguments: [String] = [], directory: URL? = nil) async throws -> ServerProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve"] + (db.map { ["--db", $0] } ?? []) + ["--port", "0", "--log-level", "info"] + arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.filter {
            !["AUDITLEDGER_GEOIP_DB", "AUDITLEDGER_DB", "AUDITLEDGER_KEY"].contains($0.key)
        }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var output = ""
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            output += String(decoding: chunk, as: UTF8.self)
            if let port = Self.port(in: output) {
                // Keep draining the log so the server never blocks on a full pipe.
                Thread.detachNewThread { while !errors.fileHandleForReading.availableData.isEmpty {} }
                return ServerProcess(process: process, port: port)
            }
        }
        process.terminate()
        throw ServerStartError(log: output)
    }

    private static func port(in log: String) -> Int? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains("listening") && $0.contains("port=") }),
              let range = line.range(of: "port=") else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }

    func kill(signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    /// SIGTERM, then the exit status.
    func stop() -> Int32 {
        Foundation.kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }
}

struct ServerStartError: Error, CustomStringConvertible {
    var log: String
    var description: String { "the server did not start:\n\(log)" }
}

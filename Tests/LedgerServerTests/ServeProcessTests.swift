import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LedgerCore
import LedgerStore
import Testing

/// `auditledger serve` as a child process: it signs with the ledger's key on its schedule and
/// once more on SIGTERM, refuses keys that are not the ledger's, and `--demo` starts from an
/// empty directory, twice.
@Suite("serve: signing key and checkpoint scheduler", .serialized)
struct ServeProcessTests {
    struct Ledger {
        var directory: URL
        var db: String
        var signer: NoteSigner
        var ingest: String
        /// A read token for every account: reads checkpoints without ever signing one.
        var auditor: String
    }

    static func makeLedger(signingKey: Bool = true) async throws -> Ledger {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("auditledger-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let db = directory.appendingPathComponent("ledger.sqlite").path
        let ledger = try SQLiteLedger(path: db)
        let signer = signingKey ? try await ServerProcess.installSigningKey(ledger, db: db) : try NoteSigner.generate(name: "unused")
        let ingest = try await ledger.createToken(account: "acme", scope: .ingest, name: nil).secret
        let auditor = try await ledger.createToken(account: "*", scope: .read, name: "auditor").secret
        await ledger.close()
        return Ledger(directory: directory, db: db, signer: signer, ingest: ingest, auditor: auditor)
    }

    static func request(_ url: URL, method: String = "GET", token: String? = nil, body: String? = nil) async throws -> (Int, Data) {
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await URLSession(configuration: .ephemeral).data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    static func post(_ count: Int, prefix: String, to server: ServerProcess, token: String) async throws {
        let events = (0..<count).map { #"{"id":"\#(prefix)\#($0)","name":"serve.test","actor":{"id":"u"}}"# }
        let (status, _) = try await request(server.url("/v1/events"), method: "POST", token: token,
                                            body: "[" + events.joined(separator: ",") + "]")
        #expect(status == 201)
    }

    /// The stored state after the server stopped: the latest checkpoint and the tree size.
    static func stored(_ db: String) async throws -> (checkpoint: StoredCheckpoint?, size: UInt64, verified: Bool) {
        let ledger = try SQLiteLedger(path: db)
        let checkpoint = try await ledger.latestCheckpoint()
        let size = try await ledger.treeHead().size
        let report = try await ledger.verify(progress: nil)
        await ledger.close()
        return (checkpoint, size, report.passed)
    }

    @Test func schedulerSignsWhileServingAndOnceMoreOnSIGTERM() async throws {
        let ledger = try await Self.makeLedger()
        defer { try? FileManager.default.removeItem(at: ledger.directory) }
        let server = try await ServerProcess.start(executable: CrashTests.executable, db: ledger.db,
                                                   arguments: ["--checkpoint-interval", "1", "--checkpoint-every", "1000000"])
        let (keyStatus, keyBody) = try await Self.request(server.url("/v1/key"))
        #expect(keyStatus == 200)
        let pinned = try NoteVerifier(verifierKey: try #require(try JSONParser().parse(Array(keyBody))["verifier_key"]?.stringValue))
        #expect(pinned == ledger.signer.verifier)

        try await Self.post(5, prefix: "a", to: server, token: ledger.ingest)
        // No request signs here (`tree_size` only looks): the scheduler must, within its interval.
        var note: String?
        let deadline = ContinuousClock.now + .seconds(20)
        while note == nil, ContinuousClock.now < deadline {
            let (status, body) = try await Self.request(server.url("/v1/checkpoint?tree_size=5&format=note"), token: ledger.auditor)
            if status == 200 { note = String(decoding: body, as: UTF8.self) } else {
                #expect(status == 404)
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        let scheduled = try Checkpoint(verifying: try #require(note, "no scheduled checkpoint within 20 s"), using: pinned)
        #expect(scheduled.treeSize == 5)

        // Events acknowledged just before SIGTERM are covered by the checkpoint signed on the way out.
        try await Self.post(3, prefix: "b", to: server, token: ledger.ingest)
        #expect(server.stop() == 0)
        let afterFirst = try await Self.stored(ledger.db)
        #expect(afterFirst.size == 8)
        #expect(afterFirst.checkpoint?.treeSize == 8)
        #expect(try afterFirst.checkpoint?.verified(by: pinned).treeSize == 8)
        #expect(afterFirst.verified)

        // With a long interval nothing is signed while serving, only on the way out.
        let quiet = try await ServerProcess.start(executable: CrashTests.executable, db: ledger.db,
                                                  arguments: ["--checkpoint-interval", "3600"])
        try await Self.post(2, prefix: "c", to: quiet, token: ledger.ingest)
        try await Task.sleep(for: .milliseconds(1500))
        #expect(try await Self.request(quiet.url("/v1/checkpoint?tree_size=10"), token: ledger.auditor).0 == 404)
        #expect(quiet.stop() == 0)
        let afterSecond = try await Self.stored(ledger.db)
        #expect(afterSecond.checkpoint?.treeSize == 10)
        #expect(try afterSecond.checkpoint?.verified(by: pinned).treeSize == 10)
        #expect(afterSecond.verified)
    }

    /// Runs `serve` expecting it to refuse to start: its exit status and standard error.
    static func refusal(_ arguments: [String], directory: URL) async throws -> (status: Int32, error: String) {
        let process = Process()
        process.executableURL = try CrashTests.executable
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AUDITLEDGER_") }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            Issue.record("serve \(arguments) did not refuse to start")
        }
        let error = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, error)
    }

    @Test func refusesALedgerWithoutAKeyAndKeysThatAreNotItsOwn() async throws {
        let keyless = try await Self.makeLedger(signingKey: false)
        defer { try? FileManager.default.removeItem(at: keyless.directory) }
        let noIdentity = try await Self.refusal(["--db", keyless.db], directory: keyless.directory)
        #expect(noIdentity.status == 2)
        #expect(noIdentity.error.contains("run `auditledger init"), "\(noIdentity.error)")

        let ledger = try await Self.makeLedger()
        defer { try? FileManager.default.removeItem(at: ledger.directory) }
        let keyPath = ledger.db + ".key"
        let malformedPath = ledger.directory.appendingPathComponent("malformed.key").path
        try Data("PRIVATE+KEY+not+a+key\n".utf8).write(to: URL(fileURLWithPath: malformedPath))
        let foreignPath = ledger.directory.appendingPathComponent("foreign.key").path
        try LedgerKeyFile.create(at: foreignPath, signer: try NoteSigner.generate(name: ledger.signer.name))
        for (arguments, expected) in [
            (["--key", malformedPath], "does not hold a signer key"),
            (["--key", foreignPath], "is not this ledger's key"),
            (["--key", ledger.directory.appendingPathComponent("absent.key").path], "no key file"),
        ] {
            let refused = try await Self.refusal(["--db", ledger.db] + arguments, directory: ledger.directory)
            #expect(refused.status == 2, "\(arguments)")
            #expect(refused.error.contains(expected), "\(arguments): \(refused.error)")
        }
        // The default key file, once it is gone, is refused the same way.
        try FileManager.default.removeItem(atPath: keyPath)
        let missing = try await Self.refusal(["--db", ledger.db], directory: ledger.directory)
        #expect(missing.status == 2)
        #expect(missing.error.contains("no key file at \(keyPath)"), "\(missing.error)")
    }

    @Test func refusesAGeoCacheSizeOutOfRange() async throws {
        let ledger = try await Self.makeLedger()
        defer { try? FileManager.default.removeItem(at: ledger.directory) }
        for size in ["0", "-5", "10000001", "many"] {
            let refused = try await Self.refusal(["--db", ledger.db, "--geoip-cache-entries", size], directory: ledger.directory)
            #expect(refused.status == 2, "\(size)")
            #expect(refused.error.contains("geoip-cache-entries"), "\(size): \(refused.error)")
        }
    }

    @Test func demoStartsFromAnEmptyDirectoryAndAgain() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("auditledger-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var keys: [String] = []
        for _ in 0..<2 {
            let server = try await ServerProcess.start(executable: CrashTests.executable, db: nil, arguments: ["--demo"],
                                                       directory: directory)
            let (status, body) = try await Self.request(server.url("/v1/key"))
            #expect(status == 200)
            keys.append(try #require(try JSONParser().parse(Array(body))["verifier_key"]?.stringValue))
            #expect(server.stop() == 0)
        }
        #expect(keys.count == 2 && keys[0] == keys[1])
        let keyFile = directory.appendingPathComponent("auditledger.sqlite.key").path
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let signer = try LedgerKeyFile.load(from: keyFile).signer
        #expect(signer.verifier.verifierKey == keys[0])
        // The demo signed on the way out; that checkpoint verifies with the published key.
        let stored = try await Self.stored(directory.appendingPathComponent("auditledger.sqlite").path)
        #expect(try stored.checkpoint?.verified(by: signer.verifier) != nil)
    }
}

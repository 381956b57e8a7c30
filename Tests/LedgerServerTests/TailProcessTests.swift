import Foundation
import LedgerCore
import LedgerStore
import Testing

/// `auditledger tail` against a running `auditledger serve`: it prints each event once, in order,
/// as the export's NDJSON line, waits for events that arrive while it polls, resumes from the
/// cursor it printed, and fails with exit 2 and a message, never a hang, on a bad token, a port
/// nobody listens on, a server that does not speak TLS, a URL that is not HTTP and numbers out
/// of range.
@Suite("tail: following a server's stream", .serialized)
struct TailProcessTests {
    struct Tail {
        var status: Int32
        var lines: [String]
        var stderr: String
    }

    /// Runs `auditledger tail ARGUMENTS`, killed if it runs longer than `limit`. The process is
    /// awaited on a Dispatch thread, so the concurrency pool is never blocked on it.
    static func tail(_ arguments: [String], limit: Duration = .seconds(30)) async throws -> Tail {
        let process = Process()
        process.executableURL = try CrashTests.executable
        process.arguments = ["tail"] + arguments
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "AUDITLEDGER_TOKEN" }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let watchdog = Task {
            try await Task.sleep(for: limit)
            process.terminate()
        }
        defer { watchdog.cancel() }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                // Standard error on a thread of its own, so that neither pipe can fill and stall tail.
                nonisolated(unsafe) var err = Data()
                let readErrors = DispatchWorkItem { err = errors.fileHandleForReading.readDataToEndOfFile() }
                DispatchQueue.global().async(execute: readErrors)
                let out = output.fileHandleForReading.readDataToEndOfFile()
                readErrors.wait()
                process.waitUntilExit()
                continuation.resume(returning: Tail(
                    status: process.terminationStatus,
                    lines: String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init),
                    stderr: String(decoding: err, as: UTF8.self)))
            }
        }
    }

    static func id(of line: String) throws -> String? {
        try JSONParser().parse(Array(line.utf8))["id"]?.stringValue
    }

    @Test func followsNewEventsThenResumesFromItsCursor() async throws {
        let ledger = try await ServeProcessTests.makeLedger()
        defer { try? FileManager.default.removeItem(at: ledger.directory) }
        let server = try await ServerProcess.start(executable: CrashTests.executable, db: ledger.db)
        defer { _ = server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        try await ServeProcessTests.post(3, prefix: "early-", to: server, token: ledger.ingest)

        // Two more arrive while tail is already waiting in its long poll.
        async let following = Self.tail(["--url", base, "--token", ledger.auditor, "--account", "acme",
                                         "--count", "5", "--wait", "10"])
        try await Task.sleep(for: .milliseconds(700))
        try await ServeProcessTests.post(2, prefix: "late-", to: server, token: ledger.ingest)
        let first = try await following

        #expect(first.status == 0, "\(first.stderr)")
        #expect(try first.lines.map(Self.id) == ["early-0", "early-1", "early-2", "late-0", "late-1"])
        // Each line is the event as the export writes it: the stored event's own JSON.
        #expect(first.lines == (try await Self.storedLines(ledger.db)))
        let cursorLine = try #require(first.stderr.split(separator: "\n").first { $0.hasPrefix("cursor: ") })
        let cursor = String(cursorLine.dropFirst("cursor: ".count))

        try await ServeProcessTests.post(1, prefix: "after-", to: server, token: ledger.ingest)
        let resumed = try await Self.tail(["--url", base, "--token", ledger.auditor, "--account", "acme",
                                           "--cursor", cursor, "--count", "1", "--wait", "2"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try resumed.lines.map(Self.id) == ["after-0"])
    }

    @Test func refusesBadTokensUnreachableServersAndOtherSchemesWithExit2() async throws {
        let ledger = try await ServeProcessTests.makeLedger()
        defer { try? FileManager.default.removeItem(at: ledger.directory) }
        let server = try await ServerProcess.start(executable: CrashTests.executable, db: ledger.db)
        var serving = true
        defer { if serving { _ = server.stop() } }

        let badToken = try await Self.tail(["--url", "http://127.0.0.1:\(server.port)", "--token", "al_nope",
                                            "--account", "acme", "--count", "1", "--wait", "1"])
        #expect(badToken.status == 2)
        #expect(badToken.stderr.contains("server answered 401"), "\(badToken.stderr)")

        // https to a server that answers in plain HTTP: the TLS handshake fails, it does not hang.
        let notTLS = try await Self.tail(["--url", "https://127.0.0.1:\(server.port)", "--token", ledger.auditor,
                                          "--account", "acme", "--count", "1", "--wait", "1"], limit: .seconds(20))
        #expect(notTLS.status == 2)
        #expect(notTLS.stderr.contains("cannot read https://127.0.0.1:\(server.port)/v1/stream"), "\(notTLS.stderr)")

        let otherScheme = try await Self.tail(["--url", "ftp://127.0.0.1", "--token", ledger.auditor, "--count", "1"])
        #expect(otherScheme.status == 2)
        #expect(otherScheme.stderr.contains("not an http or https URL"), "\(otherScheme.stderr)")

        // Out-of-range numbers are refused before anything is sent (a huge --wait overflowed the
        // poll's timeout and crashed tail).
        let url = "http://127.0.0.1:\(server.port)"
        for (arguments, message) in [(["--wait", "9223372036854775807"], "--wait must be 0–60 seconds"),
                                     (["--wait=-1"], "--wait must be 0–60 seconds"),
                                     (["--count=0"], "--count must be at least 1")] {
            let refused = try await Self.tail(["--url", url, "--token", ledger.auditor, "--account", "acme"] + arguments)
            #expect(refused.status == 2, "\(arguments)")
            #expect(refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
        }

        // The server's own port once it has stopped: nothing listens there.
        _ = server.stop()
        serving = false
        let unreachable = try await Self.tail(["--url", "http://127.0.0.1:\(server.port)", "--token", ledger.auditor,
                                               "--count", "1", "--wait", "1"])
        #expect(unreachable.status == 2)
        #expect(unreachable.stderr.contains("cannot connect to 127.0.0.1:\(server.port): Connection refused"), "\(unreachable.stderr)")
    }

    /// The server binary must not load FoundationNetworking's libcurl and the ~30 libraries under
    /// it, 6 MiB of every server's RSS (`HTTPGetClient`): `URLSession` in any module linked into
    /// `auditledger` would bring them back.
    @Test func theBinaryLinksNoCurl() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        process.arguments = [try CrashTests.executable.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let libraries = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(libraries.contains("libsqlite3"), "ldd listed nothing useful:\n\(libraries)")
        #expect(!libraries.contains("libcurl"), "\(libraries)")
        #expect(!libraries.contains("libFoundationNetworking"), "\(libraries)")
    }

    /// The account's events as the ledger holds them, oldest first, each as its JSON text.
    static func storedLines(_ db: String) async throws -> [String] {
        let ledger = try SQLiteLedger(path: db, create: false)
        let page = try await ledger.search(SearchQuery(account: "acme"))
        await ledger.close()
        return page.events.reversed().map { $0.json.canonicalText }
    }
}

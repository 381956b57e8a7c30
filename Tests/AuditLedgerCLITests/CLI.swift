import Foundation
import LedgerCore

/// Runs the `auditledger` binary that `swift build` put beside this test bundle.
enum CLI {
    static let binary: URL = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("auditledger")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repo.appendingPathComponent(".build/debug/auditledger")
    }()

    /// The repository root, so commands find `fixtures/` as they would for a user in a checkout.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "AUDITLEDGER_DB")
        // The fixture City database, as a user would configure a real one.
        env["AUDITLEDGER_GEOIP_DB"] = "fixtures/geo/AuditLedger-City-Test.mmdb"
        process.environment = env.merging(environment) { $1 }
        let output = Pipe(), errors = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a large output cannot fill a pipe and block.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        DispatchQueue.global().async(group: group) { outData = output.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = errors.fileHandleForReading.readDataToEndOfFile() }
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A temporary directory removed at the end of the test.
final class Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("auditledger-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// NDJSON events like a service would post, numbered so lines can be told apart.
func sampleEvents(_ count: Int, account: String = "acme", idPrefix: String = "e") -> String {
    let names = ["stack.deploy", "stack.update", "server.ssh.login", "user.login", "token.revoke"]
    let ips = ["81.2.69.142", "89.160.20.112", "2a02:c7c::9", "10.0.0.1", "216.160.83.57"]
    return (0..<count).map { index in
        let minute = String(format: "%02d", index % 60), hour = String(format: "%02d", (index / 60) % 24)
        return #"{"id":"\#(idPrefix)\#(index)","account":"\#(account)","name":"\#(names[index % names.count])","actor":{"id":"u_\#(index % 7)"},"ip":"\#(ips[index % ips.count])","occurred_at":"2026-11-20T\#(hour):\#(minute):00Z","description":"event number \#(index)"}"#
    }.joined(separator: "\n") + "\n"
}

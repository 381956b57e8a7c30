import Foundation
import LedgerCore
import Testing

/// Our notes verify with an independent implementation (scripts/verify-checkpoint.py, using
/// Python's `cryptography`), so the format is not merely agreeing with itself.
@Suite struct CheckpointPythonVerifierTests {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/verify-checkpoint.py")

    static let pythonWithCryptography: Bool = (try? run(["python3", "-c", "import cryptography"]).status) == 0

    struct Outcome {
        let status: Int32
        let output: String
    }

    static func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }

    /// Writes `note` to a temporary file and runs the script on it.
    func verifyWithPython(_ note: String, verifierKey: String) throws -> Outcome {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-\(UUID().uuidString).note")
        try Data(note.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try Self.run(["python3", Self.script.path, verifierKey, file.path])
    }

    @Test(.enabled(if: pythonWithCryptography, "needs python3 with the cryptography package"))
    func pythonVerifiesOurCheckpointAndRejectsTamperedCopies() throws {
        let signer = CheckpointSigner(signer: try NoteSigner.generate(name: "ledger.example/log"))
        let verifierKey = signer.signer.verifier.verifierKey
        let root = RFC6962Vectors.roots[7]
        let note = try signer.sign(treeSize: 8, rootHash: root, time: Date(timeIntervalSince1970: 1_795_341_600)).serialized

        let good = try verifyWithPython(note, verifierKey: verifierKey)
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("size=8"))
        #expect(good.output.contains("extension: time 2026-11-22T10:00:00Z"))

        let tampered = [
            note.replacingOccurrences(of: "\n8\n", with: "\n9\n"),
            note.replacingOccurrences(of: "time 2026", with: "time 2025"),
            note.replacingOccurrences(of: "ledger.example/log\n", with: "ledger.example/logs\n"),
            String(note.dropLast()),
            note + "trailing\n",
        ]
        for copy in tampered {
            let outcome = try verifyWithPython(copy, verifierKey: verifierKey)
            #expect(outcome.status == 1, "accepted:\n\(copy)\n\(outcome.output)")
        }
        let stranger = try NoteSigner.generate(name: "ledger.example/log").verifier.verifierKey
        #expect(try verifyWithPython(note, verifierKey: stranger).status == 1)
    }
}

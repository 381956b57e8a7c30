import Foundation
import LedgerCore
@testable import LedgerStore
import Testing

@Suite struct CheckpointServiceTests {
    static let pythonWithCryptography: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import cryptography"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// What the service stores is checked by an independent Ed25519 implementation with only
    /// the verifier key string (scripts/verify-checkpoint.py).
    @Test(.enabled(if: pythonWithCryptography, "needs python3 with the cryptography package"))
    func aStoredCheckpointVerifiesWithThePythonVerifier() async throws {
        let signed = try await SignedLedger()
        try await signed.append(7)
        let checkpoint = try await signed.service.checkpoint()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/verify-checkpoint.py")
        func python(_ note: String) throws -> (Int32, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script.path, SignedLedger.signer.verifier.verifierKey]
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
            input.fileHandleForWriting.write(Data(note.utf8))
            try input.fileHandleForWriting.close()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        let (status, output) = try python(checkpoint.signedNote)
        #expect(status == 0, "\(output)")
        #expect(output.contains("size=7"))
        #expect(try python(checkpoint.signedNote.replacingOccurrences(of: "\n7\n", with: "\n8\n")).0 == 1)
        await signed.ledger.close()
    }
}

import Foundation
import LedgerCore
@testable import LedgerStore
import Testing

/// Keys, checkpoints, proofs, verify, verifiable exports and backups, through the binary.
@Suite struct TamperCLITests {
    /// An initialised ledger with `count` events; returns its path and verifier key.
    static func ledger(_ scratch: Scratch, events count: Int = 30) throws -> (db: String, key: String) {
        let db = scratch.path("ledger.sqlite")
        let created = try CLI.run(["init", "--db", db, "--origin", "ledger.test/cli"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try CLI.run(["ingest", "--db", db, "-"], stdin: sampleEvents(count) + sampleEvents(count / 2, account: "other", idPrefix: "o")).status == 0)
        let key = try CLI.run(["key", "show", "--db", db]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return (db, key)
    }

    @Test func initWritesAPrivateKeyAndSignsCheckpointsThatProveInclusion() throws {
        let scratch = try Scratch()
        let (db, key) = try Self.ledger(scratch)
        let mode = try FileManager.default.attributesOfItem(atPath: db + ".key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let verifier = try NoteVerifier(verifierKey: key)
        #expect(verifier.name == "ledger.test/cli")
        // A new ledger never takes over an existing key file.
        let again = try CLI.run(["init", "--db", scratch.path("second.sqlite"), "--key", db + ".key"])
        #expect(again.status == 2 && again.stderr.contains("refusing to overwrite"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("second.sqlite")))

        #expect(try CLI.run(["checkpoint", "--show", "--db", db]).status == 1)
        let signed = try CLI.run(["checkpoint", "--db", db])
        #expect(signed.status == 0, "\(signed.stderr)")
        let checkpoint = try Checkpoint(verifying: signed.stdout, using: verifier)
        #expect(checkpoint.treeSize == 45)
        #expect(try CLI.run(["checkpoint", "--show", "--db", db]).stdout == signed.stdout)

        let proof = try CLI.run(["prove", "--db", db, "7"])
        #expect(proof.status == 0, "\(proof.stderr)")
        let json = try JSONParser().parse(proof.stdout.trimmingCharacters(in: .newlines))
        let hashes = try #require(json["proof"]?.arrayValue).compactMap { $0.stringValue.flatMap { MerkleHash(hex: $0) } }
        let leaf = try #require(json["leaf_hash"]?.stringValue.flatMap { MerkleHash(hex: $0) })
        #expect(MerkleVerifier.verifyInclusion(leafHash: leaf, leafIndex: 6, treeSize: 45, proof: hashes, root: checkpoint.rootHash))
        #expect(json["checkpoint"]?.stringValue == signed.stdout)
        #expect(try CLI.run(["prove", "--db", db, "46"]).status == 1)
        #expect(try CLI.run(["prove", "--db", db, "7", "--tree-size", "44"]).status == 1)

        let verify = try CLI.run(["verify", "--db", db, "--verifier-key", key])
        #expect(verify.status == 0 && verify.stdout.contains("45 events in 2 accounts and 1 signed checkpoints"), "\(verify.stdout)")
        let stranger = try NoteSigner.generate(name: "ledger.test/cli").verifier.verifierKey
        #expect(try CLI.run(["verify", "--db", db, "--verifier-key", stranger]).status == 1)
    }

    @Test func signingCommandsRefuseMissingMalformedAndForeignKeys() throws {
        let scratch = try Scratch()
        let (db, _) = try Self.ledger(scratch, events: 4)
        let keyFile = db + ".key"
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile)
        let loose = try CLI.run(["checkpoint", "--db", db])
        #expect(loose.status == 0 && loose.stderr.contains("chmod 600"))

        let missing = try CLI.run(["checkpoint", "--db", db, "--key", scratch.path("nope.key")])
        #expect(missing.status == 2 && missing.stderr.contains("no key file"))
        try Data("not a key\n".utf8).write(to: URL(fileURLWithPath: scratch.path("bad.key")))
        let malformed = try CLI.run(["checkpoint", "--db", db, "--key", scratch.path("bad.key")])
        #expect(malformed.status == 2 && malformed.stderr.contains("does not hold a signer key"))
        let other = scratch.path("other.sqlite")
        #expect(try CLI.run(["init", "--db", other]).status == 0)
        let foreign = try CLI.run(["checkpoint", "--db", db, "--key", other + ".key"])
        #expect(foreign.status == 2 && foreign.stderr.contains("is not this ledger's key"), "\(foreign.stderr)")
    }

    @Test(.enabled(if: CheckpointPython.available, "needs python3 with the cryptography package"))
    func theCheckpointVerifiesWithThePythonVerifierAndTheKeyShowString() throws {
        let scratch = try Scratch()
        let (db, key) = try Self.ledger(scratch, events: 6)
        let note = scratch.path("checkpoint.note")
        try CLI.run(["checkpoint", "--db", db]).stdout.write(toFile: note, atomically: true, encoding: .utf8)
        let python = try CLI.runTool("python3", [CLI.repositoryRoot.appendingPathComponent("scripts/verify-checkpoint.py").path, key, note])
        #expect(python.status == 0 && python.stdout.contains("size=9"), "\(python.stdout)\(python.stderr)")
    }

    @Test func verifyNamesTheFirstBadSeqAfterEditsAndTruncation() throws {
        let scratch = try Scratch()
        let (db, _) = try Self.ledger(scratch)
        #expect(try CLI.run(["checkpoint", "--db", db]).status == 0)
        let raw = try SQLiteConnection(path: db)
        try raw.execute("DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq > 40;")
        let truncated = try CLI.run(["verify", "--db", db])
        #expect(truncated.status == 1 && truncated.stdout.contains("FAILED at seq 41: missing: checkpoint 45"), "\(truncated.stdout)")
        #expect(truncated.stderr.contains("append-only trigger events_no_delete is missing"))
        // The truncated ledger refuses to sign a smaller tree.
        let resign = try CLI.run(["checkpoint", "--db", db])
        #expect(resign.status == 1 && resign.stderr.contains("events were removed"), "\(resign.stderr)")

        try raw.execute("DROP TRIGGER events_no_update; UPDATE events SET name = 'user.logout' WHERE seq = 11 AND name <> 'user.logout';")
        let edited = try CLI.run(["verify", "--db", db])
        #expect(edited.status == 1 && edited.stdout.contains("FAILED at seq 11: column(s) name"), "\(edited.stdout)")
    }

    /// Removing the tail together with the checkpoints that covered it leaves a ledger that
    /// verifies on its own; a checkpoint note the auditor kept still exposes it.
    @Test func aKeptCheckpointRevealsATailRemovedWithItsCheckpoints() throws {
        let scratch = try Scratch()
        let (db, key) = try Self.ledger(scratch)
        let note = scratch.path("kept.note")
        try CLI.run(["checkpoint", "--db", db]).stdout.write(toFile: note, atomically: true, encoding: .utf8)
        let raw = try SQLiteConnection(path: db)
        try raw.execute("""
            DROP TRIGGER events_no_delete; DROP TRIGGER checkpoints_no_delete;
            DELETE FROM events WHERE seq > 40; DELETE FROM checkpoints;
            """)
        #expect(try CLI.run(["verify", "--db", db, "--verifier-key", key]).status == 0)
        let kept = try CLI.run(["verify", "--db", db, "--verifier-key", key, "--checkpoint", note])
        #expect(kept.status == 1 && kept.stdout.contains("FAILED at seq 41: missing: checkpoint 45"), "\(kept.stdout)")
        try "not a note\n".write(toFile: scratch.path("junk.note"), atomically: true, encoding: .utf8)
        #expect(try CLI.run(["verify", "--db", db, "--checkpoint", scratch.path("junk.note")]).status == 2)
    }

    @Test(arguments: ["ndjson", "csv"])
    func exportsVerifyOfflineAndEveryEditIsCaughtWithItsRow(format: String) throws {
        let scratch = try Scratch()
        let (db, key) = try Self.ledger(scratch)
        let file = scratch.path("acme.\(format)")
        let export = try CLI.run(["export", "--db", db, "--account", "acme", "--format", format, "-o", file])
        #expect(export.status == 0, "\(export.stderr)")
        let manifest = file + ".manifest.json"
        let good = try CLI.run(["verify-export", file, manifest, "--key", key])
        #expect(good.status == 0 && good.stdout.contains("OK: 30 rows of acme"), "\(good.stdout)\(good.stderr)")

        let text = try String(contentsOfFile: file, encoding: .utf8)
        let terminator = format == "csv" ? "\r\n" : "\n"
        var lines = text.components(separatedBy: terminator).dropLast().map { $0 }
        let header = format == "csv" ? [lines.removeFirst()] : []
        func verify(rows: [String]) throws -> CLI.Result {
            let edited = scratch.path("edited.\(format)")
            try (header + rows).map { $0 + terminator }.joined().write(toFile: edited, atomically: true, encoding: .utf8)
            return try CLI.run(["verify-export", edited, manifest, "--key", key])
        }
        func expectFailure(_ rows: [String], row: Int, _ edit: String) throws {
            let result = try verify(rows: rows)
            #expect(result.status == 1 && result.stdout.contains("FAILED: row \(row):"), "\(edit): \(result.stdout)")
        }
        var changed = lines
        changed[4] = changed[4].replacingOccurrences(of: "event number 4", with: "event number 5")
        try expectFailure(changed, row: 5, "changed")
        var removed = lines
        removed.remove(at: 9)
        try expectFailure(removed, row: 10, "removed")
        var added = lines
        added.insert(lines[2], at: 3)
        try expectFailure(added, row: 4, "added")
        var reordered = lines
        reordered.swapAt(12, 13)
        try expectFailure(reordered, row: 13, "reordered")
        try expectFailure(Array(lines.dropLast()), row: 30, "tail removed")

        let manifestText = try String(contentsOfFile: manifest, encoding: .utf8)
        try manifestText.replacingOccurrences(of: #""row_count":30"#, with: #""row_count":31"#)
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        let counted = try CLI.run(["verify-export", file, manifest, "--key", key])
        #expect(counted.status == 1 && counted.stdout.contains("row 31: missing"), "\(counted.stdout)")
        try manifestText.write(toFile: manifest, atomically: true, encoding: .utf8)

        let stranger = try NoteSigner.generate(name: "ledger.test/cli").verifier.verifierKey
        let wrongKey = try CLI.run(["verify-export", file, manifest, "--key", stranger])
        #expect(wrongKey.status == 1 && wrongKey.stdout.contains("not signed by"))
        #expect(try CLI.run(["verify-export", file, manifest, "--key", "nonsense"]).status == 2)
        try "{\"version\":1}".write(toFile: scratch.path("bad.json"), atomically: true, encoding: .utf8)
        #expect(try CLI.run(["verify-export", file, scratch.path("bad.json"), "--key", key]).status == 2)
        #expect(try CLI.run(["verify-export", scratch.path("absent"), manifest, "--key", key]).status == 2)
    }

    @Test func backupAndRestoreFromTheCommandLine() throws {
        let scratch = try Scratch()
        let (db, key) = try Self.ledger(scratch, events: 20)
        #expect(try CLI.run(["checkpoint", "--db", db]).status == 0)
        let copy = scratch.path("backup.sqlite")
        let backup = try CLI.run(["backup", "--db", db, copy])
        #expect(backup.status == 0 && backup.stdout.contains("30 events"), "\(backup.stdout)\(backup.stderr)")
        #expect(try CLI.run(["backup", "--db", db, copy]).status == 2)
        let restored = scratch.path("restored.sqlite")
        let restore = try CLI.run(["restore", "--db", restored, copy])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try CLI.run(["verify", "--db", restored, "--verifier-key", key]).stdout.contains("1 signed checkpoints"))
        #expect(try CLI.run(["restore", "--db", restored, copy]).status == 2)
        #expect(try CLI.run(["restore", "--db", restored, "--force", copy]).status == 0)
    }
}

/// Whether the independent checkpoint verifier can run here.
enum CheckpointPython {
    static let available: Bool = (try? CLI.runTool("python3", ["-c", "import cryptography"]).status) == 0
}

extension CLI {
    /// Runs another program from the `PATH` (python3 for the independent verifier).
    static func runTool(_ tool: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }
}

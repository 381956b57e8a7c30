import ArgumentParser
import Foundation
import LedgerCore

struct VerifyExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-export",
        abstract: "Check an export against its manifest offline, with only the ledger's verifier key.",
        discussion: """
            Re-hashes every row from its fields, follows the account chain from the manifest's \
            first row to its last, and checks the row count, the file's SHA-256, the checkpoint's \
            signature and the last row's inclusion in the signed tree. Exit 1 names the first \
            failing row (data rows from 1, the CSV header not counted); exit 2 for unreadable \
            files, a manifest that is not one, or a malformed key. Needs no database.
            """)

    @Argument(help: "The export file (CSV or NDJSON).") var export: String
    @Argument(help: "Its manifest (JSON).") var manifest: String
    @Option(help: "The ledger's verifier key (name+hash+base64), as `auditledger key show` prints it.") var key: String

    func run() throws {
        let verifier: NoteVerifier
        do {
            verifier = try NoteVerifier(verifierKey: key)
        } catch {
            throw CLIFailure.usage("--key is not a verifier key (name+hash+base64): \(error)")
        }
        guard let manifestBytes = FileManager.default.contents(atPath: manifest) else { throw CLIFailure.usage("cannot read \(manifest)") }
        let parsed: ExportManifest
        do {
            parsed = try ExportManifest(json: try JSONParser().parse(Array(manifestBytes)))
        } catch let error as ExportManifestError {
            throw CLIFailure.usage("\(manifest): \(error)")
        } catch {
            throw CLIFailure.usage("\(manifest): \(ExportManifestError.notJSON("\(error)"))")
        }
        guard let file = FileHandle(forReadingAtPath: export) else { throw CLIFailure.usage("cannot read \(export)") }
        defer { try? file.close() }
        var checker = ExportVerifier(manifest: parsed, verifier: verifier)
        while let chunk = try file.read(upToCount: 1 << 20), !chunk.isEmpty {
            checker.feed(chunk)
        }
        if let failure = checker.finish() {
            print("FAILED: \(failure)")
            throw ExitCode(1)
        }
        let range = [parsed.receivedFrom?.rfc3339 ?? "the start", parsed.receivedTo?.rfc3339 ?? "now"].joined(separator: " to ")
        print("OK: \(parsed.rowCount) rows of \(parsed.account) received from \(range), "
            + (parsed.last.map { "account_seq \(parsed.first!.accountSeq)…\($0.accountSeq), " } ?? "")
            + "signed by \(verifier.name)" + (parsed.inclusionProof.map { " in a tree of \($0.treeSize) events" } ?? "") + ".")
    }
}

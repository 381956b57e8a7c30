import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute every event, chain and Merkle node and check every signed checkpoint; exit 1 at the first mismatch.",
        discussion: """
            Each stored checkpoint's root is compared with the recomputed tree at its size and its \
            signature checked; a checkpoint larger than the ledger reports the first missing seq \
            (events removed after they were signed for). Signatures are checked with \
            --verifier-key, else the key file's public key, else the key the database records \
            (a warning says so: pin the published key to rule out a rewritten database). \
            --checkpoint adds signed notes kept outside the database (from `checkpoint`, \
            `GET /v1/checkpoint` or a manifest), which still reveal removed events when the \
            stored checkpoints were removed with them.
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var keyOptions: LedgerKeyOptions
    @Option(help: "The ledger's published verifier key (name+hash+base64).") var verifierKey: String?
    @Option(name: .customLong("checkpoint"), help: ArgumentHelp("A signed checkpoint note kept outside the database (repeatable).", valueName: "file"))
    var checkpointFiles: [String] = []

    func run() async throws {
        let verifier = try keyOptions.verifier(explicit: verifierKey, ledger)
        var progress: (@Sendable (UInt64) -> Void)? = nil
        if StandardError.isTerminal {
            progress = { count in StandardError.write("\rverified \(count) events") }
        }
        let report = try await ledger.withLedger { store in
            let recorded = try await store.identity()?.verifier
            let key = verifier ?? recorded
            let external = try checkpointFiles.map { try Self.checkpoint(readingNote: $0, verifier: key) }
            return try await store.verify(checkpointVerifier: verifier, alsoChecking: external, progress: progress)
        }
        if StandardError.isTerminal { StandardError.write("\n") }
        for warning in report.warnings { StandardError.write("warning: \(warning)\n") }
        if let failure = report.firstFailure {
            print("FAILED at seq \(failure.seq): \(failure.reason)")
            print("\(report.eventsChecked) events verified before it.")
            throw ExitCode(1)
        }
        print("OK: \(report.eventsChecked) events in \(report.accountsChecked) accounts and \(report.checkpointsChecked) signed checkpoints verified.")
    }

    /// A note given with --checkpoint; it must be this ledger's, signed with its key.
    static func checkpoint(readingNote path: String, verifier: NoteVerifier?) throws -> StoredCheckpoint {
        guard let verifier else { throw CLIFailure.usage("--checkpoint needs the ledger's verifier key: pass --verifier-key") }
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIFailure.usage("cannot read \(path)") }
        let note = String(decoding: data, as: UTF8.self)
        do {
            let checkpoint = try Checkpoint(verifying: note, using: verifier)
            let time = checkpoint.time.map { Timestamp(microseconds: Int64($0.timeIntervalSince1970) * 1_000_000) }
            return StoredCheckpoint(treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash, signedNote: note,
                                    createdAt: time ?? Timestamp(microseconds: 0))
        } catch {
            throw CLIFailure.usage("\(path) is not a checkpoint signed by \(verifier.name): \(error)")
        }
    }
}

import ArgumentParser
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
            (a warning says so: pin the published key to rule out a rewritten database).
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var keyOptions: LedgerKeyOptions
    @Option(help: "The ledger's published verifier key (name+hash+base64).") var verifierKey: String?

    func run() async throws {
        let verifier = try keyOptions.verifier(explicit: verifierKey, ledger)
        var progress: (@Sendable (UInt64) -> Void)? = nil
        if StandardError.isTerminal {
            progress = { count in StandardError.write("\rverified \(count) events") }
        }
        let report = try await ledger.withLedger { store in try await store.verify(checkpointVerifier: verifier, progress: progress) }
        if StandardError.isTerminal { StandardError.write("\n") }
        for warning in report.warnings { StandardError.write("warning: \(warning)\n") }
        if let failure = report.firstFailure {
            print("FAILED at seq \(failure.seq): \(failure.reason)")
            print("\(report.eventsChecked) events verified before it.")
            throw ExitCode(1)
        }
        print("OK: \(report.eventsChecked) events in \(report.accountsChecked) accounts and \(report.checkpointsChecked) signed checkpoints verified.")
    }
}

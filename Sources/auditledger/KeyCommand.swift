import ArgumentParser
import LedgerStore

/// `auditledger key show`: the public verifier key auditors need.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "The ledger's checkpoint signing key.", subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the verifier key (name+hash+base64) that checks the ledger's checkpoints and exports.")

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var keyOptions: LedgerKeyOptions

        func run() async throws {
            let identity = try await ledger.withLedger { try await $0.identity() }
            guard let identity else { throw CLIFailure.usage("the ledger has no signing key; run `auditledger init`") }
            // The key file, when present, must be this ledger's: a mismatch is worth knowing now.
            if let fileVerifier = try keyOptions.verifier(explicit: nil, ledger), fileVerifier != identity.verifier {
                throw CLIFailure.usage("key file \(try keyOptions.path(ledger)) (\(fileVerifier.name)) is not this ledger's key (origin \(identity.origin))")
            }
            print(identity.verifier.verifierKey)
        }
    }
}

import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore

/// `--key`, shared by the commands that sign checkpoints or need the ledger's public key.
struct LedgerKeyOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The ledger's signing key file (default: $AUDITLEDGER_KEY, else <db>.key).", valueName: "path"))
    var key: String?

    func path(_ ledger: LedgerOptions) -> String {
        LedgerKeyFile.path(explicit: key, databasePath: ledger.path)
    }

    /// Loads the key file; any problem is a usage error (exit 2), permission issues a warning.
    func load(_ ledger: LedgerOptions) throws -> NoteSigner {
        do {
            let loaded = try LedgerKeyFile.load(from: path(ledger))
            for warning in loaded.warnings { StandardError.write("warning: \(warning)\n") }
            return loaded.signer
        } catch {
            throw CLIFailure.usage("\(error)")
        }
    }

    /// A checkpoint signer for `store`, refusing a key that is not the ledger's.
    func service(_ ledger: LedgerOptions, _ store: SQLiteLedger) async throws -> CheckpointService {
        let signer = try load(ledger)
        do {
            return try await CheckpointService(repository: store, signer: signer)
        } catch let error as CheckpointError {
            throw CLIFailure.usage("\(error)")
        }
    }

    /// The public key to check signatures with: `--verifier-key`, else the key file's public
    /// half (only when the file is there), else nil (the store then uses the one it records).
    func verifier(explicit: String?, _ ledger: LedgerOptions) throws -> NoteVerifier? {
        if let explicit {
            do {
                return try NoteVerifier(verifierKey: explicit)
            } catch {
                throw CLIFailure.usage("--verifier-key is not a verifier key (name+hash+base64): \(error)")
            }
        }
        guard key != nil || FileManager.default.fileExists(atPath: path(ledger)) else { return nil }
        return try load(ledger).verifier
    }
}

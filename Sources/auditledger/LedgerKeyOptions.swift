import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore

/// `--key`, shared by the commands that sign checkpoints or need the ledger's public key.
struct LedgerKeyOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The ledger's signing key file (default: $AUDITLEDGER_KEY, else <db>.key; required for PostgreSQL).", valueName: "path"))
    var key: String?

    /// `--key`, else `$AUDITLEDGER_KEY`, else the file beside a SQLite ledger. A PostgreSQL
    /// ledger has no file to sit beside, so it needs one of the first two.
    func path(_ ledger: LedgerOptions) throws -> String {
        if let sqlite = try ledger.location().sqlitePath { return LedgerKeyFile.path(explicit: key, databasePath: sqlite) }
        if let key { return key }
        if let configured = ProcessInfo.processInfo.environment[LedgerKeyFile.environmentVariable], !configured.isEmpty {
            return configured
        }
        throw CLIFailure.usage("a PostgreSQL ledger keeps no file beside it: give its signing key with --key or $\(LedgerKeyFile.environmentVariable)")
    }

    /// Loads the key file; any problem is a usage error (exit 2), permission issues a warning.
    func load(_ ledger: LedgerOptions) throws -> NoteSigner {
        do {
            let loaded = try LedgerKeyFile.load(from: try path(ledger))
            for warning in loaded.warnings { StandardError.write("warning: \(warning)\n") }
            return loaded.signer
        } catch {
            throw CLIFailure.usage("\(error)")
        }
    }

    /// A checkpoint signer for `store`, refusing a key that is not the ledger's.
    func service(_ ledger: LedgerOptions, _ store: any LedgerBackend) async throws -> CheckpointService {
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
        guard key != nil || FileManager.default.fileExists(atPath: (try? path(ledger)) ?? "") else { return nil }
        return try load(ledger).verifier
    }
}

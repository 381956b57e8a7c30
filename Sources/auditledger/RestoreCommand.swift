import ArgumentParser
import Foundation
import LedgerStore

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Verify a backup, then copy it to --db (stop the service first).",
        discussion: """
            Refuses to replace a ledger that holds events unless --force. The backup must pass \
            PRAGMA integrity_check and a full verify before anything is written, and the result \
            is verified again. Put the ledger's key file beside it (<db>.key) to keep signing.
            """)

    @OptionGroup var ledger: LedgerOptions
    @Argument(help: "The backup file.") var backup: String
    @Flag(help: "Replace an existing ledger that holds events.") var force = false

    func run() async throws {
        let report: BackupReport
        do {
            report = try await SQLiteLedger.restore(from: backup, to: try ledger.sqlitePath(for: "restore"), force: force)
        } catch let error as BackupError {
            if case .destinationNotEmpty = error { throw CLIFailure.usage(error.description) }
            throw CLIFailure.notFound(error.description)
        } catch let error as LedgerOpenError {
            throw CLIFailure.usage(error.description)
        } catch let error as SQLiteError {
            throw CLIFailure.usage("cannot restore \(backup) to \(ledger.path): \(error)")
        }
        print("Restored \(report.treeHead.size) events (root \(report.treeHead.rootHash)) to \(ledger.path); verified.")
    }
}

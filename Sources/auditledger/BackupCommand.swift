import ArgumentParser
import Foundation
import LedgerStore

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Take an online, consistent, verified copy of the ledger while it keeps ingesting.",
        discussion: """
            The copy is a SQLite online backup of one read snapshot (writers are not blocked), \
            fsynced and renamed into place, then checked: PRAGMA integrity_check, a full verify, \
            and a consistency proof that its tree is a prefix of the live ledger's. The signing key \
            file is not part of the copy: back it up separately. Exit 1 if the copy does not verify.
            """)

    @OptionGroup var ledger: LedgerOptions
    @Argument(help: "Where to write the copy (must not exist).") var destination: String

    func run() async throws {
        _ = try ledger.sqlitePath(for: "backup (for PostgreSQL, use pg_basebackup or `auditledger migrate`)")
        let report = try await ledger.withLedger { store in
            guard let sqlite = store as? SQLiteLedger else { throw CLIFailure.usage("backup works on SQLite ledgers") }
            do {
                return try await sqlite.backup(to: destination)
            } catch let error as BackupError {
                if case .destinationExists = error { throw CLIFailure.usage(error.description) }
                throw CLIFailure.notFound(error.description)
            } catch let error as SQLiteError {
                throw CLIFailure.usage("cannot write \(destination): \(error)")
            }
        }
        for warning in report.verification.warnings { StandardError.write("warning: \(warning)\n") }
        print("Backup written to \(report.path) (\(ByteCountFormatter.string(fromByteCount: report.bytes, countStyle: .file))): "
            + "\(report.treeHead.size) events, root \(report.treeHead.rootHash), verified and consistent with the live ledger "
            + "(\(report.liveTreeSize ?? report.treeHead.size) events).")
    }
}

import ArgumentParser
import Foundation

/// `auditledger`: the ledger's command line. Exit codes: 0 ok, 1 verification failed or not
/// found, 2 usage or input error.
@main
struct AuditLedger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auditledger",
        abstract: "A tamper-evident audit log: ingest, search, export and verify events.",
        subcommands: [
            InitCommand.self, IngestCommand.self, SearchCommand.self, ShowCommand.self,
            ExportCommand.self, VerifyCommand.self, VerifyExportCommand.self, StatusCommand.self,
            KeyCommand.self, CheckpointCommand.self, ProveCommand.self, BackupCommand.self, RestoreCommand.self,
            MigrateCommand.self, GeoCommand.self, ServeCommand.self, TokenCommand.self, TailCommand.self,
        ])

    /// Parses and runs a subcommand, mapping every failure to the documented exit codes.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            FileHandle.standardError.write(Data("auditledger: \(failure.message)\n".utf8))
            Foundation.exit(failure.exitCode)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((message.isEmpty ? "" : message + "\n").utf8))
            // ArgumentParser uses 64 (EX_USAGE) for bad arguments; ours is 2, like most Unix tools.
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue == 1 ? 1 : 2)
        }
    }
}

/// A failure with its message and exit code: 1 for "verification failed / not found", 2 for
/// usage and input errors.
struct CLIFailure: Error {
    var message: String
    var exitCode: Int32

    static func usage(_ message: String) -> CLIFailure { CLIFailure(message: message, exitCode: 2) }
    static func notFound(_ message: String) -> CLIFailure { CLIFailure(message: message, exitCode: 1) }
}

import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore

/// `--db`, shared by every command that opens the ledger.
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The ledger file (default: $AUDITLEDGER_DB or ./auditledger.sqlite).", valueName: "path"))
    var db: String?

    var path: String {
        db ?? ProcessInfo.processInfo.environment["AUDITLEDGER_DB"] ?? "auditledger.sqlite"
    }

    /// Opens an existing ledger; a missing file is a usage error, not a new empty ledger.
    func open(create: Bool = false) throws -> SQLiteLedger {
        do {
            return try SQLiteLedger(path: path, create: create)
        } catch let error as LedgerOpenError {
            throw CLIFailure.usage(error.description)
        } catch {
            throw CLIFailure.usage("cannot open \(path): \(error)")
        }
    }
}

extension LedgerOptions {
    /// Runs `body` with an open ledger and closes it afterwards, whatever happens.
    func withLedger<T>(create: Bool = false, _ body: (SQLiteLedger) async throws -> T) async throws -> T {
        let ledger = try open(create: create)
        do {
            let result = try await body(ledger)
            await ledger.close()
            return result
        } catch {
            await ledger.close()
            throw error
        }
    }
}

/// Writes to standard error (progress, summaries), keeping standard output for data.
enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

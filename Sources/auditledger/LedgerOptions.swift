import ArgumentParser
import Foundation
import LedgerCore
import LedgerPostgres
import LedgerStore

/// What every command that opens a ledger gets: the storage protocol with its tokens and the
/// verbatim copy `migrate` uses, whichever backend holds it.
typealias LedgerBackend = LedgerCopying

/// `--db` and `--store`, shared by every command that opens the ledger.
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The ledger file (default: $AUDITLEDGER_DB or ./auditledger.sqlite).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp(
        "Where the ledger lives: sqlite:PATH, a path, or postgres://user@host/db (default: $AUDITLEDGER_STORE, else --db).",
        valueName: "store"))
    var store: String?

    /// `--store`, else `--db`, else `$AUDITLEDGER_STORE`, else `$AUDITLEDGER_DB`, else ./auditledger.sqlite.
    func location(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> StoreLocation {
        if store != nil && db != nil { throw CLIFailure.usage("give --store or --db, not both") }
        if let store { return try StoreLocation(store) }
        if let db { return .sqlite(path: db) }
        if let configured = environment["AUDITLEDGER_STORE"], !configured.isEmpty { return try StoreLocation(configured) }
        return .sqlite(path: environment["AUDITLEDGER_DB"] ?? "auditledger.sqlite")
    }

    /// The ledger as messages name it (a PostgreSQL URL without its password).
    var path: String { (try? location().description) ?? store ?? db ?? "auditledger.sqlite" }

    /// The SQLite file, or a usage error naming `command` for a PostgreSQL ledger.
    func sqlitePath(for command: String) throws -> String {
        guard let path = try location().sqlitePath else {
            throw CLIFailure.usage("\(command) needs a SQLite ledger; this one is in PostgreSQL")
        }
        return path
    }

    /// Opens an existing ledger; a missing one is a usage error, not a new empty ledger.
    func open(create: Bool = false) async throws -> any LedgerBackend {
        try await Self.open(try location(), create: create)
    }

    static func open(_ location: StoreLocation, create: Bool) async throws -> any LedgerBackend {
        do {
            switch location {
            case .sqlite(let path): return try SQLiteLedger(path: path, create: create)
            case .postgres(let url): return try await PostgresLedger.open(url: url, create: create)
            }
        } catch let failure as CLIFailure {
            throw failure
        } catch let error as LedgerOpenError {
            throw CLIFailure.usage(error.description)
        } catch {
            throw CLIFailure.usage("cannot open \(location): \(error)")
        }
    }
}

extension LedgerOptions {
    /// Runs `body` with an open ledger and closes it afterwards, whatever happens.
    func withLedger<T>(create: Bool = false, _ body: (any LedgerBackend) async throws -> T) async throws -> T {
        let ledger = try await open(create: create)
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

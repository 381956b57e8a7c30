import ArgumentParser
import LedgerStore

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create a new, empty ledger.")

    @OptionGroup var ledger: LedgerOptions

    func run() async throws {
        try await ledger.withLedger(create: true) { store in
            let status = try await store.status()
            print("Ledger ready at \(ledger.path) (\(status.events) events).")
        }
    }
}

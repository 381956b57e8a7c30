import ArgumentParser
import LedgerCore
import LedgerStore

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print one event, by seq or by the client's id (exit 1 if not found).")

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "The account the event belongs to.") var account: String
    @Argument(help: "The event's seq, or its client id.") var event: String

    func run() async throws {
        let found: StoredEvent? = try await ledger.withLedger { store in
            if let seq = UInt64(event), let stored = try await store.event(account: account, seq: seq) { return stored }
            return try await store.event(account: account, clientID: event)
        }
        guard let found else { throw CLIFailure.notFound("no event \(event) in account \(account)") }
        print(found.json.canonicalText)
    }
}

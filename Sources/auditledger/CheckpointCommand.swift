import ArgumentParser
import LedgerStore

struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Sign the current tree head and print the signed checkpoint note.",
        discussion: """
            The new tree is first proved consistent with the latest checkpoint; a ledger that \
            shrank or diverged is refused. With no new events the latest checkpoint is printed.
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var keyOptions: LedgerKeyOptions
    @Flag(help: "Print the latest checkpoint without signing a new one.") var show = false

    func run() async throws {
        let checkpoint: StoredCheckpoint = try await ledger.withLedger { store in
            if show {
                guard let latest = try await store.latestCheckpoint() else { throw CLIFailure.notFound("no checkpoint has been signed yet") }
                return latest
            }
            do {
                return try await keyOptions.service(ledger, store).checkpoint()
            } catch let error as CheckpointError {
                throw CLIFailure.notFound("\(error)")
            }
        }
        print(checkpoint.signedNote, terminator: "")
    }
}

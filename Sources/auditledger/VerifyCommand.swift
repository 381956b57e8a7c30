import ArgumentParser
import LedgerStore

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute every event's bytes, hash and account chain; exit 1 at the first mismatch.")

    @OptionGroup var ledger: LedgerOptions

    func run() async throws {
        var progress: (@Sendable (UInt64) -> Void)? = nil
        if StandardError.isTerminal {
            progress = { count in StandardError.write("\rverified \(count) events") }
        }
        let report = try await ledger.withLedger { store in try await store.verify(progress: progress) }
        if StandardError.isTerminal { StandardError.write("\n") }
        for warning in report.warnings { StandardError.write("warning: \(warning)\n") }
        if let failure = report.firstFailure {
            print("FAILED at seq \(failure.seq): \(failure.reason)")
            print("\(report.eventsChecked) events verified before it.")
            throw ExitCode(1)
        }
        print("OK: \(report.eventsChecked) events in \(report.accountsChecked) accounts verified.")
    }
}

import ArgumentParser
import Foundation
import LedgerStore

/// `auditledger migrate`: copies a ledger between backends and proves the copy.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a ledger to another store (SQLite ⇄ PostgreSQL) and prove the copy.",
        discussion: """
            Copies every event verbatim (same seq, receive time and hash), the signing identity, \
            every signed checkpoint and every token (as hashes), then proves the copy: same tree \
            size, same root, and a full verify of the destination, which checks every checkpoint's \
            signature against the recomputed tree. The destination is created if missing; one that \
            already holds a prefix of the same ledger (an interrupted copy) is continued. The copy \
            covers the source as it is when migrate starts; run it again to bring over later \
            events. The signing key file is not in the database: keep using the same file.
            Exit 0 when the copy verifies, 1 when it does not, 2 on bad arguments or a destination \
            that holds another ledger.
            """)

    @Option(help: ArgumentHelp("The ledger to copy: sqlite:PATH, a path, or postgres://…", valueName: "store"))
    var from: String

    @Option(help: ArgumentHelp("Where to copy it: sqlite:PATH, a path, or postgres://…", valueName: "store"))
    var to: String

    @Option(help: "Events per transaction (1–100000; a batch is held in memory while it is copied).")
    var batch = 10_000

    func run() async throws {
        guard (1...100_000).contains(batch) else { throw CLIFailure.usage("--batch must be 1–100000") }
        let sourceLocation = try StoreLocation(from), destinationLocation = try StoreLocation(to)
        guard sourceLocation != destinationLocation else { throw CLIFailure.usage("--from and --to are the same store") }
        let source = try await LedgerOptions.open(sourceLocation, create: false)
        let destination: any LedgerBackend
        do {
            destination = try await LedgerOptions.open(destinationLocation, create: true)
        } catch {
            await source.close()
            throw error
        }
        let copier = LedgerCopier(source: source, destination: destination, batchSize: batch)
        let showProgress = StandardError.isTerminal
        let result: Result<LedgerCopyReport, Error>
        do {
            result = .success(try await copier.run { copied, total in
                if showProgress { StandardError.write("\rcopied \(copied) of \(total) events") }
            })
        } catch {
            result = .failure(error)
        }
        if showProgress { StandardError.write("\n") }
        await source.close()
        await destination.close()

        let report: LedgerCopyReport
        switch result {
        case .success(let value): report = value
        case .failure(let error as LedgerCopyError): throw CLIFailure.usage("\(error)")
        case .failure(let error as CopyError): throw CLIFailure.notFound("the copy was refused: \(error)")
        case .failure(let error): throw CLIFailure.usage("cannot migrate \(sourceLocation) to \(destinationLocation): \(error)")
        }
        print("Copied \(report.eventsCopied) events (\(report.eventsAlreadyThere) already there), "
            + "\(report.checkpointsCopied) checkpoints and \(report.tokens) tokens from \(sourceLocation) to \(destinationLocation).")
        print("Destination tree: size \(report.treeHead.size), root \(report.treeHead.rootHash) (the source's).")
        for warning in report.verification.warnings { StandardError.write("warning: \(warning)\n") }
        if let failure = report.verification.firstFailure {
            throw CLIFailure.notFound("the copy does not verify: \(failure)")
        }
        print("Verified: \(report.verification.eventsChecked) events, \(report.verification.checkpointsChecked) checkpoints.")
    }
}

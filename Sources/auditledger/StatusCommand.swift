import ArgumentParser
import Foundation
import GeoIP
import LedgerCore
import LedgerStore

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Events, accounts, size, tree head, the latest signed checkpoint, the verifier key, and the geo database and its age.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var geo: GeoOptions

    /// A City database older than this is probably missing its weekly updates.
    static let staleAfterDays: Int64 = 60

    func run() async throws {
        let (status, checkpoint, identity) = try await ledger.withLedger { store in
            (try await store.status(), try await store.latestCheckpoint(), try await store.identity())
        }
        print("ledger:      \(ledger.path)")
        print("events:      \(status.events)")
        print("accounts:    \(status.accounts)")
        print("size:        \(ByteCountFormatter.string(fromByteCount: status.databaseBytes, countStyle: .file))")
        print("tree head:   size \(status.tree.size), root \(status.tree.rootHash)")
        if let last = status.lastReceivedAt { print("last event:  received \(last.rfc3339)") }
        if let checkpoint {
            let coverage = status.tree.size < checkpoint.treeSize ? " (LARGER than the ledger: events were removed; run verify)"
                : status.tree.size == checkpoint.treeSize ? " (covers every event)" : " (\(status.tree.size - checkpoint.treeSize) events since)"
            print("checkpoint:  size \(checkpoint.treeSize), signed \(checkpoint.createdAt.rfc3339)\(coverage)")
        } else {
            print("checkpoint:  none signed yet (`auditledger checkpoint`, or `serve` signs them)")
        }
        // The key the database records: pin it from a trusted copy (`key show` on the signing host).
        print("key:         \(identity?.verifier.verifierKey ?? "none (run `auditledger init`)")")
        guard let database = try geo.openDatabase() else {
            print("geo:         no City database (events are stored with geo_status no_database)")
            return
        }
        let built = Timestamp(microseconds: Int64(clamping: database.metadata.buildEpoch) * 1_000_000)
        let ageDays = (Timestamp.systemNow().microseconds - built.microseconds) / 86_400_000_000
        print("geo:         \(database.metadata.databaseType) at \(database.path)")
        print("geo built:   \(built.rfc3339) (\(ageDays) days ago)")
        if ageDays > Self.staleAfterDays {
            StandardError.write("warning: the City database is \(ageDays) days old; run geoipupdate (MaxMind publishes weekly)\n")
        }
    }
}

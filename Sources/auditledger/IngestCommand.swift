import ArgumentParser
import Foundation
import GeoIP
import LedgerCore
import LedgerStore

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Append events from a file (NDJSON, or a JSON array) or standard input.",
        discussion: """
            Events are validated like the HTTP API validates them and stored in atomic batches: an \
            invalid batch stores nothing and every invalid line is reported; other batches are \
            stored. Exit status 2 if anything was refused.
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var geo: GeoOptions
    @Argument(help: "The file to read, or - for standard input.") var file: String
    @Option(help: "Events per atomic batch (1–1000).") var batchSize = 1_000
    @Option(help: "Account for events that name none.") var account: String?
    @Option(help: "Write a receipt per stored event (NDJSON) here once its batch is durable; - for standard output.")
    var receipts: String?

    /// Batches validated ahead and committing at once: the writer folds them into shared commits.
    static let batchesInFlight = 4

    func run() async throws {
        guard (1...EventIntake.maxBatchItems).contains(batchSize) else { throw CLIFailure.usage("--batch-size must be 1–1000") }
        if let account, !EventRules.isValidAccount(account) { throw CLIFailure.usage("--account \(account) is not an account name") }
        let input = try EventInput(path: file)
        let database = try geo.openDatabase()
        let receiptSink = try receipts.map { try ExportSink(path: $0 == "-" ? nil : $0) }
        var progress = IngestProgress(totalBytes: input.totalBytes)
        let summary = try await ledger.withLedger(create: true) { store in
            try await ingest(input, into: store, locator: database, receipts: receiptSink, progress: &progress)
        }
        try receiptSink?.commit()
        progress.finish()
        StandardError.write(summary.line + "\n")
        for issue in summary.issues.prefix(1_000) { StandardError.write("  \(issue)\n") }
        if summary.issues.count > 1_000 { StandardError.write("  … and \(summary.issues.count - 1_000) more\n") }
        if !summary.issues.isEmpty || summary.conflicts > 0 { throw ExitCode(2) }
    }

    private func ingest(_ input: EventInput, into store: any LedgerBackend, locator: GeoIPDatabase?,
                        receipts: ExportSink?, progress: inout IngestProgress) async throws -> IngestSummary {
        let intake = EventIntake(
            validator: EventValidator(now: Timestamp.systemNow(), defaultAccount: account),
            enricher: GeoEnricher(locator: locator.map { CachedGeoLocator(base: $0, capacity: 50_000) }))
        var summary = IngestSummary()
        var inFlight: [(task: Task<[AppendReceipt], Error>, lines: [Int?])] = []

        func settle(_ batch: (task: Task<[AppendReceipt], Error>, lines: [Int?])) async throws {
            do {
                let stored = try await batch.task.value
                summary.stored += stored.count(where: { !$0.replayed })
                summary.replayed += stored.count(where: \.replayed)
                summary.batches += 1
                try receipts?.write(Self.receiptLines(stored, lines: batch.lines))
            } catch AppendError.conflicts(let conflicts) {
                summary.conflicts += conflicts.count
                summary.issues += conflicts.map {
                    "line \(batch.lines[$0.index].map(String.init) ?? "?"): id \($0.clientID) is already used with different content (batch not stored)"
                }
            }
        }

        for try await chunk in input.batches(of: batchSize) {
            progress.update(bytesRead: chunk.bytesRead, events: summary.stored + summary.replayed)
            let items = chunk.items
            switch intake.batch(items: items, isBatch: true) {
            case .failure(let failure):
                summary.rejectedBatches += 1
                summary.issues += failure.issues.map(\.description)
            case .success(let batch):
                let events = batch.events
                inFlight.append((Task { try await store.append(events) }, items.map(\.line)))
                if inFlight.count >= Self.batchesInFlight { try await settle(inFlight.removeFirst()) }
            }
        }
        for batch in inFlight { try await settle(batch) }
        return summary
    }

    /// One NDJSON receipt per event: where it came from and where the ledger put it.
    static func receiptLines(_ receipts: [AppendReceipt], lines: [Int?]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (receipt, line) in zip(receipts, lines) {
            var object: JSONObject = [
                "seq": JSONValue(integer: receipt.seq), "account_seq": JSONValue(integer: receipt.accountSeq),
                "hash": .string(receipt.hash.description), "replayed": .bool(receipt.replayed),
            ]
            if let line { object["line"] = JSONValue(integer: line) }
            if let id = receipt.clientID { object["id"] = .string(id) }
            JSONValue.object(object).appendCanonical(to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}

struct IngestSummary {
    var stored = 0
    var replayed = 0
    var batches = 0
    var rejectedBatches = 0
    var conflicts = 0
    var issues: [String] = []

    var line: String {
        var parts = ["stored \(stored) events in \(batches) batches"]
        if replayed > 0 { parts.append("\(replayed) already stored (same id and content)") }
        if rejectedBatches > 0 { parts.append("refused \(rejectedBatches) invalid batches") }
        if conflicts > 0 { parts.append("\(conflicts) id conflicts") }
        return parts.joined(separator: "; ")
    }
}

/// A progress bar on standard error, drawn only when it is a terminal.
struct IngestProgress {
    let totalBytes: Int?
    private let started = Date()
    private var lastDrawn = Date.distantPast
    private let enabled = StandardError.isTerminal

    init(totalBytes: Int?) { self.totalBytes = totalBytes }

    mutating func update(bytesRead: Int, events: Int) {
        guard enabled, Date().timeIntervalSince(lastDrawn) > 0.1 else { return }
        lastDrawn = Date()
        let rate = Double(events) / max(Date().timeIntervalSince(started), 0.001)
        if let totalBytes, totalBytes > 0 {
            let fraction = min(1, Double(bytesRead) / Double(totalBytes))
            let filled = Int(fraction * 30)
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 30 - filled)
            StandardError.write("\r\(bar) \(Int(fraction * 100))% \(events) events \(Int(rate))/s ")
        } else {
            StandardError.write("\r\(events) events \(Int(rate))/s ")
        }
    }

    func finish() {
        if enabled { StandardError.write("\r\u{1B}[K") }
    }
}

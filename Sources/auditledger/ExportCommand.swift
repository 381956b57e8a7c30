import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export an account's events received in a period, in chain order, as CSV or NDJSON.",
        discussion: """
            The period is on the ledger's receive time, so an export is a contiguous slice of the \
            account's chain that can be checked for gaps on its own.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, ndjson }

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "The account to export.") var account: String
    @Option(help: "Received at or after (RFC 3339 or YYYY-MM-DD).") var from: String?
    @Option(help: "Received before (RFC 3339 or YYYY-MM-DD).") var to: String?
    @Option(help: "csv or ndjson.") var format: Format = .ndjson
    @Option(name: .shortAndLong, help: "Write here instead of standard output (written whole, then renamed into place).")
    var output: String?

    func run() async throws {
        guard EventRules.isValidAccount(account) else { throw CLIFailure.usage("--account \(account) is not an account name") }
        let request = ExportRequest(
            account: account,
            receivedFrom: try from.map { try SearchCommand.time($0, flag: "--from") },
            receivedTo: try to.map { try SearchCommand.time($0, flag: "--to") })
        let sink = try ExportSink(path: output)
        do {
            let count = try await ledger.withLedger { store in try await write(store, request, sink) }
            try sink.commit()
            StandardError.write("\(StandardError.isTerminal ? "\r" : "")exported \(count) events of \(account)\n")
        } catch {
            sink.abandon()
            throw error
        }
    }

    private func write(_ store: SQLiteLedger, _ request: ExportRequest, _ sink: ExportSink) async throws -> Int {
        let cursor = try await store.export(request)
        defer { Task { await cursor.close() } }
        let csv = CSVWriter()
        var buffer: [UInt8] = []
        if format == .csv { csv.appendRow(StoredEvent.csvColumns, to: &buffer) }
        var count = 0
        while true {
            let page = try await cursor.next(500)
            if page.isEmpty { break }
            for event in page {
                switch format {
                case .csv: csv.appendRow(event.csvCells, to: &buffer)
                case .ndjson:
                    event.json.appendCanonical(to: &buffer)
                    buffer.append(UInt8(ascii: "\n"))
                }
            }
            count += page.count
            try sink.write(buffer)
            buffer.removeAll(keepingCapacity: true)
            if StandardError.isTerminal { StandardError.write("\rexported \(count) events") }
        }
        try sink.write(buffer)
        return count
    }
}

/// Standard output, or a file written under a temporary name and renamed only when complete,
/// so that a failed export never leaves a file that looks whole.
final class ExportSink {
    private let handle: FileHandle
    private let path: String?
    private let partialPath: String?

    init(path: String?) throws {
        self.path = path
        guard let path else {
            handle = FileHandle.standardOutput
            partialPath = nil
            return
        }
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil),
              let handle = FileHandle(forWritingAtPath: partial) else {
            throw CLIFailure.usage("cannot write \(path)")
        }
        self.handle = handle
        partialPath = partial
    }

    func write(_ bytes: [UInt8]) throws {
        if !bytes.isEmpty { try handle.write(contentsOf: bytes) }
    }

    func commit() throws {
        guard let path, let partialPath else { return }
        try handle.synchronize()
        try handle.close()
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: partialPath, toPath: path)
    }

    func abandon() {
        guard let partialPath else { return }
        try? handle.close()
        try? FileManager.default.removeItem(atPath: partialPath)
    }
}

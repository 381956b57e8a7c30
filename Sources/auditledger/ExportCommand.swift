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
    @Option(help: "Write the export's manifest here (default with -o: <output>.manifest.json). `verify-export` checks the two offline.")
    var manifest: String?
    @OptionGroup var keyOptions: LedgerKeyOptions

    func run() async throws {
        guard EventRules.isValidAccount(account) else { throw CLIFailure.usage("--account \(account) is not an account name") }
        let request = ExportRequest(
            account: account,
            receivedFrom: try from.map { try SearchCommand.time($0, flag: "--from") },
            receivedTo: try to.map { try SearchCommand.time($0, flag: "--to") })
        let manifestPath = manifest ?? output.map { $0 + ".manifest.json" }
        let sink = try ExportSink(path: output)
        var manifestSink: ExportSink?
        do {
            let count = try await ledger.withLedger { store in
                var builder = ExportManifestBuilder(format: format.exportFormat, account: account,
                                                    receivedFrom: request.receivedFrom, receivedTo: request.receivedTo)
                let count = try await write(store, request, sink, &builder)
                if let manifestPath, let document = try await manifestDocument(store, builder, required: manifest != nil) {
                    manifestSink = try ExportSink(path: manifestPath)
                    try manifestSink?.write(document)
                }
                return count
            }
            try sink.commit()
            try manifestSink?.commit()
            StandardError.write("\(StandardError.isTerminal ? "\r" : "")exported \(count) events of \(account)\n")
            if manifestSink != nil, let manifestPath { StandardError.write("manifest: \(manifestPath)\n") }
        } catch {
            sink.abandon()
            manifestSink?.abandon()
            throw error
        }
    }

    private func write(_ store: any LedgerBackend, _ request: ExportRequest, _ sink: ExportSink,
                       _ builder: inout ExportManifestBuilder) async throws -> Int {
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
                builder.wrote(event: event)
            }
            count += page.count
            try sink.write(buffer)
            builder.wrote(bytes: buffer)
            buffer.removeAll(keepingCapacity: true)
            if StandardError.isTerminal { StandardError.write("\rexported \(count) events") }
        }
        try sink.write(buffer)
        builder.wrote(bytes: buffer)
        return count
    }

    /// The manifest's bytes: the latest checkpoint when it already holds the last row, else a
    /// new one signed now, with the last row's inclusion proof. A ledger without a signing key
    /// gets no manifest (a warning), unless one was asked for by name (an error).
    private func manifestDocument(_ store: any LedgerBackend, _ builder: ExportManifestBuilder, required: Bool) async throws -> [UInt8]? {
        guard try await store.identity() != nil else {
            if required { throw CLIFailure.usage(CheckpointError.noIdentity.description) }
            StandardError.write("warning: the ledger has no signing key, so no manifest was written; run `auditledger init`\n")
            return nil
        }
        var checkpoint = try await store.latestCheckpoint()
        var proof: [MerkleHash]?
        if let last = builder.last {
            if let latest = checkpoint, latest.treeSize >= last.seq {
                proof = try await store.inclusionProof(seq: last.seq, treeSize: latest.treeSize)
            } else {
                do {
                    let evidence = try await keyOptions.service(ledger, store).inclusion(of: last.seq)
                    (checkpoint, proof) = (evidence.checkpoint, evidence.proof)
                } catch let error as CheckpointError {
                    throw CLIFailure.notFound("cannot sign a checkpoint for the manifest: \(error)")
                }
            }
        }
        let document = builder.manifest(checkpoint: checkpoint?.signedNote, inclusionProof: proof,
                                        checkpointTreeSize: checkpoint?.treeSize, createdAt: Timestamp.systemNow())
        return document.json.canonicalBytes + [UInt8(ascii: "\n")]
    }
}

extension ExportCommand.Format {
    var exportFormat: ExportFormat {
        switch self {
        case .csv: .csv
        case .ndjson: .ndjson
        }
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

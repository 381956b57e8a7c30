import Foundation
import LedgerCore

/// A small ledger in memory (two interleaved accounts, a Merkle tree, a signing key) and the
/// export of one account written exactly as the CLI writes it, for the manifest tests.
struct ExportFixture {
    static let signer = try! NoteSigner(name: "ledger.test/export", seed: [UInt8](repeating: 7, count: 32))
    static let start = Timestamp(rfc3339: "2026-11-20T00:00:00Z")!

    var events: [StoredEvent] = []
    var tree = MerkleMemoryTree()

    /// `count` events alternating between `acme` (even seq) and `other`, with text that needs CSV quoting.
    init(count: Int) {
        var heads: [String: (UInt64, MerkleHash)] = [:]
        for index in 0..<count {
            let account = index % 2 == 0 ? "acme" : "other"
            let head = heads[account] ?? (0, StoredEvent.zeroHash)
            let event = StoredEvent(
                seq: UInt64(index + 1), accountSeq: head.0 + 1, receivedAt: Self.start.adding(seconds: Int64(index * 60)),
                content: EventContent(
                    clientID: "e\(index)", account: account, name: "stack.deploy", actor: EventActor(id: "u_\(index % 3)", name: "Jane, \"J\""),
                    ip: IPAddress("81.2.69.\(index % 250 + 1)"), occurredAt: Self.start.adding(seconds: Int64(index * 60)),
                    targets: [EventTarget(type: "stack", id: "prod")], description: "line one\r\nline, two #\(index)",
                    metadata: #"{"n":\#(index)}"#),
                geo: GeoResult(status: .ok, location: GeoLocation(countryCode: "GB", city: "London", latitude: 51.5, longitude: -0.12)),
                previousHash: head.1)
            heads[account] = (event.accountSeq, event.hash)
            events.append(event)
            try! tree.append(leafHash: event.hash)
        }
    }

    /// The export's bytes and its manifest, for `acme` events received in `[from, to)`.
    func export(_ format: ExportFormat, from: Timestamp? = nil, to: Timestamp? = nil) -> (file: [UInt8], manifest: ExportManifest) {
        var builder = ExportManifestBuilder(format: format, account: "acme", receivedFrom: from, receivedTo: to)
        var bytes: [UInt8] = []
        if format == .csv { CSVWriter().appendRow(StoredEvent.csvColumns, to: &bytes) }
        for event in events where event.content.account == "acme"
            && from.map({ event.receivedAt >= $0 }) ?? true && to.map({ event.receivedAt < $0 }) ?? true {
            switch format {
            case .csv: CSVWriter().appendRow(event.csvCells, to: &bytes)
            case .ndjson:
                event.json.appendCanonical(to: &bytes)
                bytes.append(UInt8(ascii: "\n"))
            }
            builder.wrote(event: event)
        }
        builder.wrote(bytes: bytes)
        let note = try! CheckpointSigner(signer: Self.signer).sign(treeSize: tree.size, rootHash: try! tree.root(treeSize: tree.size))
        let proof = try! builder.last.map { try tree.inclusionProof(leafIndex: $0.seq - 1, treeSize: tree.size) }
        let manifest = builder.manifest(checkpoint: note.serialized, inclusionProof: proof, checkpointTreeSize: tree.size,
                                        createdAt: Self.start)
        return (bytes, manifest)
    }

    /// The export's rows as separate byte strings (header apart), to edit them one by one.
    static func rows(_ file: [UInt8], format: ExportFormat) -> (header: [UInt8], rows: [[UInt8]]) {
        let terminator: [UInt8] = format == .csv ? [13, 10] : [10]
        var pieces: [[UInt8]] = []
        var current: [UInt8] = []
        var inQuotes = false
        for byte in file {
            current.append(byte)
            if format == .csv, byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if !inQuotes, current.count >= terminator.count, Array(current.suffix(terminator.count)) == terminator {
                pieces.append(current)
                current = []
            }
        }
        return format == .csv ? (pieces[0], Array(pieces.dropFirst())) : ([], pieces)
    }
}

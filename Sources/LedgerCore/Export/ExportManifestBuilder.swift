import Crypto

/// Collects what a manifest needs while an export is written: the exact bytes (for the file's
/// SHA-256), the row count and the two ends of the chain. Writers (CLI and HTTP) feed it the
/// bytes and events they write, then add the checkpoint and proof from the store.
public struct ExportManifestBuilder {
    public let format: ExportFormat
    public let account: String
    public let receivedFrom: Timestamp?
    public let receivedTo: Timestamp?
    private var digest = SHA256()
    public private(set) var rowCount: UInt64 = 0
    public private(set) var first: StoredEvent?
    public private(set) var last: StoredEvent?

    public init(format: ExportFormat, account: String, receivedFrom: Timestamp?, receivedTo: Timestamp?) {
        self.format = format
        self.account = account
        self.receivedFrom = receivedFrom
        self.receivedTo = receivedTo
    }

    /// Every byte written to the file, in order (header included).
    public mutating func wrote(bytes: some Collection<UInt8>) {
        digest.update(data: Array(bytes))
    }

    /// Every event written, in order.
    public mutating func wrote(event: StoredEvent) {
        if first == nil { first = event }
        last = event
        rowCount += 1
    }

    /// The manifest, with the signed checkpoint note and the inclusion proof of `last` in it
    /// (both nil for an empty export).
    public func manifest(checkpoint: String?, inclusionProof: [MerkleHash]?, checkpointTreeSize: UInt64?,
                         createdAt: Timestamp) -> ExportManifest {
        func row(_ event: StoredEvent?) -> ExportManifest.Row? {
            event.map { ExportManifest.Row(seq: $0.seq, accountSeq: $0.accountSeq, hash: $0.hash) }
        }
        var proof: ExportManifest.InclusionProof?
        if let last, let inclusionProof, let checkpointTreeSize {
            proof = ExportManifest.InclusionProof(leafIndex: last.seq - 1, treeSize: checkpointTreeSize, hashes: inclusionProof)
        }
        return ExportManifest(
            format: format, account: account, receivedFrom: receivedFrom, receivedTo: receivedTo, rowCount: rowCount,
            first: row(first), last: row(last), firstPreviousHash: first?.previousHash, checkpoint: checkpoint,
            inclusionProof: proof, fileSHA256: Array(digest.finalize()), createdAt: createdAt)
    }
}

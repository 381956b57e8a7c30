/// What an export claims about itself, written beside it so an auditor can check it offline
/// with only the ledger's verifier key (`ExportVerifier`).
///
/// The rows of an account's export form a contiguous piece of the account's hash chain: the
/// first row links to `firstPreviousHash`, each next row to the one before, and the last row's
/// hash is proved to be leaf `lastSeq - 1` of a tree whose root the ledger signed
/// (`checkpoint`, `inclusionProof`). Since each hash commits to the previous one, that single
/// proof commits to every row; `fileSHA256` pins the exact bytes.
public struct ExportManifest: Hashable, Sendable {
    public static let currentVersion = 1

    public struct InclusionProof: Hashable, Sendable {
        public var leafIndex: UInt64
        public var treeSize: UInt64
        public var hashes: [MerkleHash]

        public init(leafIndex: UInt64, treeSize: UInt64, hashes: [MerkleHash]) {
            self.leafIndex = leafIndex
            self.treeSize = treeSize
            self.hashes = hashes
        }
    }

    /// One end of the exported slice of the chain.
    public struct Row: Hashable, Sendable {
        public var seq: UInt64
        public var accountSeq: UInt64
        public var hash: MerkleHash

        public init(seq: UInt64, accountSeq: UInt64, hash: MerkleHash) {
            self.seq = seq
            self.accountSeq = accountSeq
            self.hash = hash
        }
    }

    public var version = Self.currentVersion
    public var format: ExportFormat
    public var account: String
    /// The request's range on `received_at`, half-open; nil ends are open.
    public var receivedFrom: Timestamp?
    public var receivedTo: Timestamp?
    public var rowCount: UInt64
    /// Nil when the export is empty.
    public var first: Row?
    public var last: Row?
    /// The hash the first row's `previous_hash` must hold: the account's event before the slice.
    public var firstPreviousHash: MerkleHash?
    /// The signed checkpoint note the last row is proved against.
    public var checkpoint: String?
    public var inclusionProof: InclusionProof?
    /// SHA-256 of the export file's bytes.
    public var fileSHA256: [UInt8]
    public var createdAt: Timestamp

    public init(format: ExportFormat, account: String, receivedFrom: Timestamp?, receivedTo: Timestamp?, rowCount: UInt64,
                first: Row?, last: Row?, firstPreviousHash: MerkleHash?, checkpoint: String?,
                inclusionProof: InclusionProof?, fileSHA256: [UInt8], createdAt: Timestamp) {
        self.format = format
        self.account = account
        self.receivedFrom = receivedFrom
        self.receivedTo = receivedTo
        self.rowCount = rowCount
        self.first = first
        self.last = last
        self.firstPreviousHash = firstPreviousHash
        self.checkpoint = checkpoint
        self.inclusionProof = inclusionProof
        self.fileSHA256 = fileSHA256
        self.createdAt = createdAt
    }
}

extension ExportManifest {
    /// The manifest as a JSON object (snake_case keys, hashes in lowercase hex).
    public var json: JSONValue {
        var object: JSONObject = [
            "version": JSONValue(integer: version), "format": .string(format.rawValue), "account": .string(account),
            "row_count": JSONValue(integer: rowCount), "file_sha256": .string(Self.hex(fileSHA256)),
            "created_at": .string(createdAt.rfc3339),
        ]
        object["received_from"] = receivedFrom.map { .string($0.rfc3339) }
        object["received_to"] = receivedTo.map { .string($0.rfc3339) }
        for (prefix, row) in [("first", first), ("last", last)] {
            guard let row else { continue }
            object["\(prefix)_seq"] = JSONValue(integer: row.seq)
            object["\(prefix)_account_seq"] = JSONValue(integer: row.accountSeq)
            object["\(prefix)_hash"] = .string(row.hash.description)
        }
        object["first_previous_hash"] = firstPreviousHash.map { .string($0.description) }
        object["checkpoint"] = checkpoint.map(JSONValue.string)
        object["inclusion_proof"] = inclusionProof.map { proof in
            .object([
                "leaf_index": JSONValue(integer: proof.leafIndex), "tree_size": JSONValue(integer: proof.treeSize),
                "hashes": .array(proof.hashes.map { .string($0.description) }),
            ])
        }
        return .object(object)
    }

    /// Reads a manifest, strictly: every field has its type, and the ends of the slice are
    /// either all present or all absent.
    public init(json value: JSONValue) throws(ExportManifestError) {
        guard let object = value.objectValue else { throw .notJSON("not an object") }
        func field(_ key: String) throws(ExportManifestError) -> JSONValue {
            guard let value = object[key] else { throw .invalidField(key) }
            return value
        }
        func unsigned(_ key: String, in source: JSONObject? = nil) throws(ExportManifestError) -> UInt64 {
            guard let lexeme = (source ?? object)[key]?.numberLexeme, let number = UInt64(lexeme) else { throw .invalidField(key) }
            return number
        }
        func hash(_ text: JSONValue?, _ key: String) throws(ExportManifestError) -> MerkleHash {
            guard let text = text?.stringValue, let hash = MerkleHash(hex: text) else { throw .invalidField(key) }
            return hash
        }
        func time(_ key: String) throws(ExportManifestError) -> Timestamp? {
            guard let member = object[key] else { return nil }
            guard let text = member.stringValue, let time = Timestamp(rfc3339: text) else { throw .invalidField(key) }
            return time
        }
        func row(_ prefix: String) throws(ExportManifestError) -> Row? {
            guard object["\(prefix)_seq"] != nil else { return nil }
            return Row(seq: try unsigned("\(prefix)_seq"), accountSeq: try unsigned("\(prefix)_account_seq"),
                       hash: try hash(object["\(prefix)_hash"], "\(prefix)_hash"))
        }
        guard try unsigned("version") == UInt64(Self.currentVersion) else { throw .invalidField("version") }
        guard let formatName = try field("format").stringValue, let format = ExportFormat(rawValue: formatName) else {
            throw .invalidField("format")
        }
        guard let account = try field("account").stringValue else { throw .invalidField("account") }
        guard let digestText = try field("file_sha256").stringValue, let digest = MerkleHash(hex: digestText) else {
            throw .invalidField("file_sha256")
        }
        guard let createdAt = try time("created_at") else { throw .invalidField("created_at") }
        self.init(format: format, account: account, receivedFrom: try time("received_from"), receivedTo: try time("received_to"),
                  rowCount: try unsigned("row_count"), first: try row("first"), last: try row("last"),
                  firstPreviousHash: try object["first_previous_hash"].map { v throws(ExportManifestError) in try hash(v, "first_previous_hash") },
                  checkpoint: nil, inclusionProof: nil, fileSHA256: digest.bytes, createdAt: createdAt)
        if let note = object["checkpoint"] {
            guard let text = note.stringValue else { throw .invalidField("checkpoint") }
            checkpoint = text
        }
        if let proof = object["inclusion_proof"] {
            guard let proofObject = proof.objectValue, let hashes = proofObject["hashes"]?.arrayValue else {
                throw .invalidField("inclusion_proof")
            }
            var parsed: [MerkleHash] = []
            for item in hashes { parsed.append(try hash(item, "inclusion_proof.hashes")) }
            inclusionProof = InclusionProof(leafIndex: try unsigned("leaf_index", in: proofObject),
                                            treeSize: try unsigned("tree_size", in: proofObject), hashes: parsed)
        }
        let ends = [first == nil, last == nil, firstPreviousHash == nil, inclusionProof == nil]
        guard ends.allSatisfy({ $0 }) || ends.allSatisfy({ !$0 }) else { throw .invalidField("first_*/last_*/inclusion_proof") }
        guard (rowCount == 0) == (first == nil) else { throw .invalidField("row_count") }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] })
    }
}

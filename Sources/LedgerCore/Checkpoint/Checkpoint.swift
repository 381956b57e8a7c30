/// A transparency-log checkpoint in the C2SP `tlog-checkpoint` format: the note text
///
///     <origin>\n<tree size in decimal>\n<base64 root hash>\n[<extension line>\n ...]
///
/// that the ledger signs as a ``SignedNote``.
public struct Checkpoint: Hashable, Sendable {
    /// Identifies the log; by convention a schema-less URL equal to the signing key's name.
    public let origin: String
    /// Number of entries (leaves) in the tree.
    public let treeSize: UInt64
    /// RFC 6962 root hash of the first `treeSize` entries.
    public let rootHash: MerkleHash
    /// Optional opaque lines after the root hash, each non-empty.
    public let extensions: [String]

    /// - Throws: ``NoteError/malformedCheckpoint(reason:)`` when the origin or an extension
    ///   line is empty or contains a control character (a newline would change the format).
    public init(origin: String, treeSize: UInt64, rootHash: MerkleHash, extensions: [String] = []) throws {
        guard Self.isValidLine(origin) else { throw NoteError.malformedCheckpoint(reason: "origin must be one non-empty line") }
        guard extensions.allSatisfy(Self.isValidLine) else {
            throw NoteError.malformedCheckpoint(reason: "extension lines must be non-empty single lines")
        }
        self.origin = origin
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.extensions = extensions
    }

    /// Parses a checkpoint's text strictly: at least three lines, each ending in a newline,
    /// a canonical decimal size (no sign, no leading zeros), a base64 root of exactly 32
    /// bytes, and non-empty extension lines.
    public init(text: String) throws {
        guard text.utf8.last == UInt8(ascii: "\n") else {
            throw NoteError.malformedCheckpoint(reason: "text does not end in a newline")
        }
        let lines = text.utf8.dropLast().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 3 else { throw NoteError.malformedCheckpoint(reason: "fewer than three lines") }
        guard let treeSize = Self.parseTreeSize(lines[1]) else {
            throw NoteError.malformedCheckpoint(reason: "tree size is not a canonical decimal number")
        }
        guard let rootBytes = NoteEncoding.bytes(base64: lines[2]), let rootHash = MerkleHash(bytes: rootBytes) else {
            throw NoteError.malformedCheckpoint(reason: "root hash is not base64 of 32 bytes")
        }
        try self.init(origin: lines[0], treeSize: treeSize, rootHash: rootHash, extensions: Array(lines[3...]))
    }

    /// The note text, every line ending in a newline.
    public var text: String {
        ([origin, String(treeSize), NoteEncoding.base64(rootHash.bytes)] + extensions).map { $0 + "\n" }.joined()
    }

    private static func isValidLine(_ line: String) -> Bool {
        !line.isEmpty && !line.utf8.contains { $0 < 0x20 || $0 == 0x7F }
    }

    private static func parseTreeSize(_ text: String) -> UInt64? {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              digits == [UInt8(ascii: "0")] || digits.first != UInt8(ascii: "0") else { return nil }
        return UInt64(text)
    }
}

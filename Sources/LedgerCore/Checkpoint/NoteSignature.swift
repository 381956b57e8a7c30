/// One signature line of a signed note: `— <name> <base64(key hash || signature)>`.
public struct NoteSignature: Hashable, Sendable {
    /// The signing key's name.
    public let name: String
    /// The signing key's 4-byte key hash, which the line carries in front of the signature.
    public let keyHash: UInt32
    /// The signature bytes proper (64 for Ed25519).
    public let signature: [UInt8]

    public init(name: String, keyHash: UInt32, signature: [UInt8]) {
        self.name = name
        self.keyHash = keyHash
        self.signature = signature
    }

    /// The line as it appears in the note, newline included.
    public var line: String {
        "\(SignedNote.signaturePrefix)\(name) \(NoteEncoding.base64(NoteEncoding.bigEndianBytes(keyHash) + signature))\n"
    }

    /// Parses one line of a note that is already known to be valid UTF-8, without its newline.
    init(line: ArraySlice<UInt8>) throws {
        let prefix = Array(SignedNote.signaturePrefix.utf8)
        guard line.starts(with: prefix) else {
            throw NoteError.malformedNote(reason: "signature line does not start with \"— \"")
        }
        let rest = line.dropFirst(prefix.count)
        // The name cannot contain a space, so the first space ends it.
        guard let space = rest.firstIndex(of: UInt8(ascii: " ")) else {
            throw NoteError.malformedNote(reason: "signature line has no signature")
        }
        let name = String(decoding: rest[..<space], as: UTF8.self)
        guard NoteEncoding.isValidKeyName(name) else {
            throw NoteError.malformedNote(reason: "signature line has no valid key name")
        }
        // Four bytes of key hash and at least one byte of signature.
        let encoded = String(decoding: rest[(space + 1)...], as: UTF8.self)
        guard let bytes = NoteEncoding.bytes(base64: encoded), bytes.count >= 5 else {
            throw NoteError.malformedNote(reason: "signature of \(name) is not valid base64")
        }
        self.init(name: name, keyHash: bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }, signature: Array(bytes.dropFirst(4)))
    }
}

import Foundation

/// A C2SP signed note (c2sp.org/signed-note): a text ending in a newline, a blank line, and
/// one or more signature lines `— <key name> <base64(key hash || signature)>`.
///
/// Parsing checks structure only; ``verifiedSignatures(using:)`` checks signatures with the
/// rules of the spec: signatures from unknown keys are ignored, a failing signature from a
/// known key rejects the note, and at least one known key must have signed.
public struct SignedNote: Hashable, Sendable, CustomStringConvertible {
    /// Em dash (U+2014) and a space: the start of every signature line.
    public static let signaturePrefix = "\u{2014} "
    /// As Go's sumdb/note, to bound the work an untrusted note can cause.
    public static let maximumSignatures = 100

    /// The signed text, final newline included.
    public let text: String
    /// The signature lines, in order.
    public let signatures: [NoteSignature]

    /// Signs `text` with each signer, in order.
    /// - Throws: ``NoteError/malformedNote(reason:)`` when `text` does not end in a newline or
    ///   contains a control character other than newline.
    public init(signing text: String, with signers: [NoteSigner]) throws {
        try Self.checkText(text)
        guard !signers.isEmpty, signers.count <= Self.maximumSignatures else {
            throw NoteError.malformedNote(reason: "a note needs between 1 and \(Self.maximumSignatures) signatures")
        }
        let message = Array(text.utf8)
        self.text = text
        self.signatures = try signers.map {
            NoteSignature(name: $0.name, keyHash: $0.keyHash, signature: try $0.signature(for: message))
        }
    }

    /// Parses a note received as bytes (from a file or the network), checking that it is valid
    /// UTF-8 before anything else.
    public init(parsing bytes: some Collection<UInt8>) throws {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw NoteError.malformedNote(reason: "note is not valid UTF-8")
        }
        try self.init(parsing: text)
    }

    /// Parses a note's structure; signatures are checked by ``verifiedSignatures(using:)``.
    /// - Throws: ``NoteError/malformedNote(reason:)`` or ``NoteError/tooManySignatures``.
    public init(parsing note: String) throws {
        let bytes = Array(note.utf8)
        try Self.checkCharacters(bytes)
        // The text may contain blank lines; the last one separates it from the signatures.
        guard let blankLine = Self.lastBlankLine(in: bytes) else {
            throw NoteError.malformedNote(reason: "no blank line before the signatures")
        }
        let signatureBlock = bytes[(blankLine + 2)...]
        guard signatureBlock.last == UInt8(ascii: "\n") else {
            throw NoteError.malformedNote(reason: "no signature, or the last line does not end in a newline")
        }
        let lines = signatureBlock.dropLast().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.count <= Self.maximumSignatures else { throw NoteError.tooManySignatures }
        self.signatures = try lines.map(NoteSignature.init(line:))
        self.text = String(decoding: bytes[...blankLine], as: UTF8.self)
    }

    /// The note as text: the text, a blank line, then one line per signature.
    public var serialized: String {
        text + "\n" + signatures.map(\.line).joined()
    }

    public var description: String { serialized }

    /// Checks the signatures against trusted verifiers and returns those that verified (one
    /// per key, in note order).
    ///
    /// - Throws: ``NoteError/invalidSignature(name:keyHash:)`` when a signature by a known key
    ///   (same name and key hash) does not verify; ``NoteError/noVerifiedSignature`` when no
    ///   known key signed; ``NoteError/ambiguousVerifiers(name:keyHash:)`` when two different
    ///   verifiers share a name and key hash.
    public func verifiedSignatures(using verifiers: [NoteVerifier]) throws -> [NoteSignature] {
        let message = Array(text.utf8)
        var verified: [NoteSignature] = []
        for signature in signatures {
            let candidates = Set(verifiers.filter { $0.name == signature.name && $0.keyHash == signature.keyHash })
            // The spec: signatures from unknown keys are ignored (they may be witnesses').
            guard let verifier = candidates.first else { continue }
            guard candidates.count == 1 else {
                throw NoteError.ambiguousVerifiers(name: signature.name, keyHash: signature.keyHash)
            }
            guard verifier.isValidSignature(signature.signature, for: message) else {
                throw NoteError.invalidSignature(name: signature.name, keyHash: signature.keyHash)
            }
            if !verified.contains(where: { $0.name == signature.name && $0.keyHash == signature.keyHash }) {
                verified.append(signature)
            }
        }
        guard !verified.isEmpty else { throw NoteError.noVerifiedSignature }
        return verified
    }

    /// The rules for a note's text: non-empty, ending in a newline, no control characters
    /// other than newline.
    static func checkText(_ text: String) throws {
        let bytes = Array(text.utf8)
        try checkCharacters(bytes)
        guard bytes.last == UInt8(ascii: "\n") else {
            throw NoteError.malformedNote(reason: "text does not end in a newline")
        }
    }

    /// Notes must not contain ASCII control characters other than newline. (UTF-8 validity is
    /// guaranteed by `String`.) Checking bytes is enough: in UTF-8 no byte of a multi-byte
    /// character is below 0x80.
    private static func checkCharacters(_ bytes: [UInt8]) throws {
        guard !bytes.contains(where: { $0 < 0x20 && $0 != UInt8(ascii: "\n") }) else {
            throw NoteError.malformedNote(reason: "note contains a control character")
        }
    }

    /// The index of the first newline of the last "\n\n" in `bytes`.
    private static func lastBlankLine(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        return (0..<(bytes.count - 1)).last { bytes[$0] == UInt8(ascii: "\n") && bytes[$0 + 1] == UInt8(ascii: "\n") }
    }
}

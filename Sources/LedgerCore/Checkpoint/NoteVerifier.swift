import Crypto
import Foundation

/// An Ed25519 public key that checks signed-note signatures, identified like Go's
/// `golang.org/x/mod/sumdb/note` by its name and 4-byte key hash.
///
/// Its text form, the verifier key, is what auditors are given:
/// `<name>+<hex8 key hash>+<base64(0x01 || 32-byte public key)>`.
public struct NoteVerifier: Hashable, Sendable, CustomStringConvertible {
    /// The key name; signature lines carry it, and checkpoints' origin should equal it.
    public let name: String
    /// `SHA-256(name || 0x0A || 0x01 || publicKey)[0..<4]`, big-endian.
    public let keyHash: UInt32
    /// The raw 32-byte Ed25519 public key.
    public let publicKey: [UInt8]

    /// Parses a verifier key string, checking its key hash.
    /// - Throws: ``NoteError/malformedKey``, ``NoteError/invalidKeyName(_:)``,
    ///   ``NoteError/unsupportedAlgorithm(_:)`` or ``NoteError/keyHashMismatch``.
    public init(verifierKey: String) throws {
        // The base64 field may itself contain '+', so only the first two separate fields.
        let fields = verifierKey.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3 else { throw NoteError.malformedKey }
        guard NoteEncoding.isValidKeyName(fields[0]) else { throw NoteError.invalidKeyName(String(fields[0])) }
        guard let claimedHash = NoteEncoding.parseHex8(fields[1]),
              let typedKey = NoteEncoding.bytes(base64: fields[2]), let algorithm = typedKey.first
        else { throw NoteError.malformedKey }
        guard algorithm == NoteEncoding.ed25519 else { throw NoteError.unsupportedAlgorithm(algorithm) }
        try self.init(name: String(fields[0]), publicKey: typedKey.dropFirst())
        guard keyHash == claimedHash else { throw NoteError.keyHashMismatch }
    }

    /// A verifier for a raw 32-byte Ed25519 public key under `name`.
    public init(name: String, publicKey: some Collection<UInt8>) throws {
        guard NoteEncoding.isValidKeyName(name) else { throw NoteError.invalidKeyName(name) }
        let key = Array(publicKey)
        // Reject keys that are not 32 bytes here rather than at every verification.
        guard (try? Curve25519.Signing.PublicKey(rawRepresentation: key)) != nil else { throw NoteError.malformedKey }
        self.init(checkedName: name, publicKey: key)
    }

    /// For a name and a 32-byte key that the caller has already validated.
    init(checkedName name: String, publicKey: [UInt8]) {
        self.name = name
        self.publicKey = publicKey
        self.keyHash = NoteEncoding.keyHash(name: name, typedPublicKey: [NoteEncoding.ed25519] + publicKey)
    }

    /// The verifier key string, as Go's `note.NewEd25519VerifierKey` writes it.
    public var verifierKey: String {
        "\(name)+\(NoteEncoding.hex8(keyHash))+\(NoteEncoding.base64([NoteEncoding.ed25519] + publicKey))"
    }

    public var description: String { verifierKey }

    /// Whether `signature` (64 bytes, without the key hash prefix) is this key's Ed25519
    /// signature of `message`.
    public func isValidSignature(_ signature: [UInt8], for message: some DataProtocol) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}

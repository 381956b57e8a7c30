import Crypto
import Foundation

/// An Ed25519 private key that signs notes, in the key-string format of Go's
/// `golang.org/x/mod/sumdb/note`: `PRIVATE+KEY+<name>+<hex8 key hash>+<base64(0x01 || seed)>`.
///
/// The key is held as its 32-byte seed so that the signer is a plain `Sendable` value; the
/// Ed25519 key is derived per signature, which costs far less than the signature itself at
/// checkpoint rates. Its `description` never shows the seed, so it is safe to log.
public struct NoteSigner: Sendable, CustomStringConvertible {
    /// The matching public key, to publish (as ``NoteVerifier/verifierKey``) to auditors.
    public let verifier: NoteVerifier
    private let seed: [UInt8]

    /// The key name, written on every signature line.
    public var name: String { verifier.name }
    /// The key hash of the matching public key (see ``NoteVerifier/keyHash``).
    public var keyHash: UInt32 { verifier.keyHash }

    /// Parses a signer key string and checks that its key hash matches the derived public key.
    /// - Throws: ``NoteError/malformedKey``, ``NoteError/invalidKeyName(_:)``,
    ///   ``NoteError/unsupportedAlgorithm(_:)`` or ``NoteError/keyHashMismatch``.
    public init(signerKey: String) throws {
        let fields = signerKey.split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0] == "PRIVATE", fields[1] == "KEY" else { throw NoteError.malformedKey }
        guard NoteEncoding.isValidKeyName(fields[2]) else { throw NoteError.invalidKeyName(String(fields[2])) }
        guard let claimedHash = NoteEncoding.parseHex8(fields[3]),
              let typedSeed = NoteEncoding.bytes(base64: fields[4]), let algorithm = typedSeed.first
        else { throw NoteError.malformedKey }
        guard algorithm == NoteEncoding.ed25519 else { throw NoteError.unsupportedAlgorithm(algorithm) }
        try self.init(name: String(fields[2]), seed: typedSeed.dropFirst())
        guard keyHash == claimedHash else { throw NoteError.keyHashMismatch }
    }

    /// A signer for a 32-byte Ed25519 seed (RFC 8032 private key) under `name`.
    public init(name: String, seed: some Collection<UInt8>) throws {
        guard NoteEncoding.isValidKeyName(name) else { throw NoteError.invalidKeyName(name) }
        let seed = Array(seed)
        guard seed.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw NoteError.malformedKey
        }
        self.seed = seed
        self.verifier = NoteVerifier(checkedName: name, publicKey: Array(key.publicKey.rawRepresentation))
    }

    /// A new random key (from the system's secure generator) under `name`.
    public static func generate(name: String) throws -> NoteSigner {
        try NoteSigner(name: name, seed: Curve25519.Signing.PrivateKey().rawRepresentation)
    }

    /// The secret signer key string, to store in the ledger's key file.
    public var signerKey: String {
        "PRIVATE+KEY+\(name)+\(NoteEncoding.hex8(keyHash))+\(NoteEncoding.base64([NoteEncoding.ed25519] + seed))"
    }

    public var description: String { "NoteSigner(\(name)+\(NoteEncoding.hex8(keyHash)))" }

    /// The 64-byte Ed25519 signature of `message` (without the key hash prefix).
    public func signature(for message: some DataProtocol) throws -> [UInt8] {
        Array(try Curve25519.Signing.PrivateKey(rawRepresentation: seed).signature(for: message))
    }
}

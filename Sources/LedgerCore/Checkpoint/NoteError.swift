/// Why a signed note, a note key or a checkpoint was rejected.
public enum NoteError: Error, Hashable, Sendable {
    /// A key name is empty or contains a Unicode space, a plus sign or a control character.
    case invalidKeyName(String)
    /// A signer or verifier key string is not `[PRIVATE+KEY+]name+hex8+base64`, or its key
    /// bytes have the wrong length.
    case malformedKey
    /// The key's algorithm byte is not Ed25519 (0x01), the only one we accept.
    case unsupportedAlgorithm(UInt8)
    /// The key hash in a key string does not match its name and public key.
    case keyHashMismatch
    /// The note's structure is wrong; `reason` says where.
    case malformedNote(reason: String)
    /// More signatures than we are willing to parse (100, as Go's sumdb/note).
    case tooManySignatures
    /// Two different verifiers share a key name and key hash, so a signature cannot be
    /// attributed.
    case ambiguousVerifiers(name: String, keyHash: UInt32)
    /// A signature from a known key does not verify: the note was altered or forged.
    case invalidSignature(name: String, keyHash: UInt32)
    /// No signature from any of the given verifiers is on the note.
    case noVerifiedSignature
    /// The note's text is not a valid checkpoint; `reason` says where.
    case malformedCheckpoint(reason: String)
    /// The checkpoint is valid but for another log.
    case unexpectedOrigin(expected: String, actual: String)
}

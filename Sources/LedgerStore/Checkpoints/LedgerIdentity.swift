import LedgerCore

/// Who signs a ledger's checkpoints: its origin (the key's name, the first line of every
/// checkpoint) and the public verifier key, fixed when the ledger is created.
///
/// The database records them so that a wrong key file is refused before it signs anything.
/// An auditor should still pin the verifier key out of band: whoever can rewrite the database
/// could replace this record too, but cannot sign without the private key.
public struct LedgerIdentity: Hashable, Sendable {
    public var origin: String
    public var verifier: NoteVerifier

    public init(origin: String, verifier: NoteVerifier) {
        self.origin = origin
        self.verifier = verifier
    }

    public init(signer: NoteSigner) {
        self.init(origin: signer.name, verifier: signer.verifier)
    }

    /// Whether `signer` is this ledger's key (same name and public key).
    public func matches(_ signer: NoteSigner) -> Bool {
        signer.name == origin && signer.verifier == verifier
    }
}

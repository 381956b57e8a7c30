import Foundation

/// Signs the ledger's checkpoints: the tree head (origin, size, root) and, optionally, the
/// time it was signed, as a signed note that any `golang.org/x/mod/sumdb/note` or C2SP
/// client verifies with the ledger's verifier key.
public struct CheckpointSigner: Sendable {
    /// The signing key; its name is the checkpoints' origin, as tlog-checkpoint recommends.
    public let signer: NoteSigner

    public init(signer: NoteSigner) {
        self.signer = signer
    }

    /// The origin line of every checkpoint this signer produces.
    public var origin: String { signer.name }

    /// Signs the tree head of `treeSize` entries with root `rootHash`.
    ///
    /// - Parameter time: when given, added as the extension line `time <RFC 3339 UTC>` (see
    ///   ``Checkpoint/timeExtensionPrefix``). Pass the injected clock's time, so tests are
    ///   deterministic.
    public func sign(treeSize: UInt64, rootHash: MerkleHash, time: Date? = nil) throws -> SignedNote {
        let checkpoint = try Checkpoint(
            origin: origin, treeSize: treeSize, rootHash: rootHash,
            extensions: time.map { [Checkpoint.timeExtension($0)] } ?? [])
        return try SignedNote(signing: checkpoint.text, with: [signer])
    }
}

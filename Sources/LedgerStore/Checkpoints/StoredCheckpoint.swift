import LedgerCore

/// A signed checkpoint as the ledger stores it: the tree head it commits to, the C2SP signed
/// note exactly as it was signed (auditors verify those bytes), and when it was made.
///
/// The tree size and root are kept beside the note so storage can index and compare them;
/// `verify` checks that they agree with the note.
public struct StoredCheckpoint: Hashable, Sendable {
    public var treeSize: UInt64
    public var rootHash: MerkleHash
    /// The signed note (checkpoint text, blank line, signature lines).
    public var signedNote: String
    public var createdAt: Timestamp

    public init(treeSize: UInt64, rootHash: MerkleHash, signedNote: String, createdAt: Timestamp) {
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.signedNote = signedNote
        self.createdAt = createdAt
    }

    public var treeHead: TreeHead { TreeHead(size: treeSize, rootHash: rootHash) }

    /// The checkpoint, once its signature by `verifier` and its origin are checked, and its
    /// size and root are the ones stored beside it.
    ///
    /// - Throws: ``NoteError`` for a bad note or signature, ``CheckpointError/noteDiffersFromRow(treeSize:)``
    ///   when the note commits to another head than its row says.
    public func verified(by verifier: NoteVerifier, origin: String? = nil) throws -> Checkpoint {
        try matchingRow(Checkpoint(verifying: signedNote, using: verifier, expectedOrigin: origin))
    }

    /// The checkpoint parsed without checking its signature (when no verifier key is known).
    public func unverified() throws -> Checkpoint {
        try matchingRow(Checkpoint(text: SignedNote(parsing: signedNote).text))
    }

    private func matchingRow(_ checkpoint: Checkpoint) throws -> Checkpoint {
        guard checkpoint.treeSize == treeSize, checkpoint.rootHash == rootHash else {
            throw CheckpointError.noteDiffersFromRow(treeSize: treeSize)
        }
        return checkpoint
    }
}

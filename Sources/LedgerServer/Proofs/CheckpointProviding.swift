import LedgerCore
import LedgerStore

/// The latest checkpoint as the API serves it: the tree head, and a signed note once the
/// ledger signs its checkpoints. A protocol so that the signer can be injected without
/// changing the controller.
public protocol CheckpointProviding: Sendable {
    func latestCheckpoint() async throws -> ServedCheckpoint
}

public struct ServedCheckpoint: Sendable, Hashable {
    public var treeHead: TreeHead
    /// The C2SP signed-note text (`tlog-checkpoint` body and signature lines), if signed.
    public var signedNote: String?

    public init(treeHead: TreeHead, signedNote: String? = nil) {
        self.treeHead = treeHead
        self.signedNote = signedNote
    }
}

/// Serves the current tree head, unsigned: what the ledger can vouch for before a signer exists.
public struct TreeHeadCheckpoints: CheckpointProviding {
    let ledger: any LedgerRepository

    public init(ledger: any LedgerRepository) {
        self.ledger = ledger
    }

    public func latestCheckpoint() async throws -> ServedCheckpoint {
        ServedCheckpoint(treeHead: try await ledger.treeHead())
    }
}

import LedgerCore

/// Why a checkpoint was not signed or stored.
public enum CheckpointError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The ledger holds fewer events than the latest checkpoint: events were removed.
    case treeShrank(checkpointSize: UInt64, currentSize: UInt64)
    /// The current tree is not an extension of the latest checkpoint's tree.
    case inconsistent(previousSize: UInt64, currentSize: UInt64)
    /// Another signer stored a checkpoint since this one read the latest (storage retries).
    case notLatest(expected: UInt64?, actual: UInt64?)
    /// The root to store is not the root of the stored tree at that size.
    case rootMismatch(treeSize: UInt64)
    /// A stored checkpoint's note commits to a different size or root than its row.
    case noteDiffersFromRow(treeSize: UInt64)
    /// The signing key is not the ledger's (another origin or another public key).
    case wrongKey(keyName: String, ledgerOrigin: String)
    /// The ledger has no signing identity yet (created before keys existed).
    case noIdentity
    /// The ledger already has a different identity.
    case identityAlreadySet(origin: String)

    public var description: String {
        switch self {
        case .treeShrank(let checkpointSize, let currentSize):
            "the ledger has \(currentSize) events but checkpoint \(checkpointSize) was signed: events were removed; refusing to sign"
        case .inconsistent(let previousSize, let currentSize):
            "the tree of \(currentSize) events is not consistent with the signed checkpoint of size \(previousSize); refusing to sign"
        case .notLatest(let expected, let actual):
            "another checkpoint was stored meanwhile (latest \(actual.map(String.init) ?? "none"), expected \(expected.map(String.init) ?? "none"))"
        case .rootMismatch(let treeSize):
            "the root to store is not the ledger's root at tree size \(treeSize)"
        case .noteDiffersFromRow(let treeSize):
            "the checkpoint stored at tree size \(treeSize) has a signed note for a different tree head"
        case .wrongKey(let keyName, let ledgerOrigin):
            "the key \(keyName) is not this ledger's key (origin \(ledgerOrigin))"
        case .noIdentity:
            "the ledger has no signing key yet; run `auditledger init` to create one"
        case .identityAlreadySet(let origin):
            "the ledger already has the signing identity \(origin)"
        }
    }
}

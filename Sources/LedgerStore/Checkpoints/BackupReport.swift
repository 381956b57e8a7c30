import LedgerCore

/// What `backup` and `restore` checked about the copy they made.
public struct BackupReport: Sendable, Hashable {
    public var path: String
    public var bytes: Int64
    /// The copy's tree head: the snapshot it was taken at.
    public var treeHead: TreeHead
    /// The live ledger's size the copy was proved consistent with (nil for a restore).
    public var liveTreeSize: UInt64?
    public var verification: VerificationReport
}

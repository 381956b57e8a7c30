/// What a database says about itself: stored with each location so an export can tell which
/// edition of the database placed an event.
public struct GeoIPMetadata: Hashable, Sendable {
    /// `database_type`, e.g. `GeoLite2-City`.
    public let databaseType: String
    /// `build_epoch`, seconds since the Unix epoch.
    public let buildEpoch: UInt64
    /// 4 for an IPv4-only tree, 6 for a tree that holds both families.
    public let ipVersion: Int
    public let nodeCount: Int
    public let recordSize: Int

    public init(databaseType: String, buildEpoch: UInt64, ipVersion: Int, nodeCount: Int, recordSize: Int) {
        self.databaseType = databaseType
        self.buildEpoch = buildEpoch
        self.ipVersion = ipVersion
        self.nodeCount = nodeCount
        self.recordSize = recordSize
    }
}

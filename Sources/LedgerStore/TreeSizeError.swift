/// A proof or root was asked for a tree larger than the ledger.
public struct TreeSizeError: Error, Hashable, CustomStringConvertible {
    public var requested: UInt64
    public var current: UInt64

    public init(requested: UInt64, current: UInt64) {
        self.requested = requested
        self.current = current
    }

    public var description: String { "tree size \(requested) is larger than the ledger (\(current) events)" }
}

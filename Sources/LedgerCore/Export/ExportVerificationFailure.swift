/// The first thing about an export that does not hold, and where.
public struct ExportVerificationFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The 1-based data row (the CSV header is not counted); nil for the file or manifest as a whole.
    public var row: Int?
    public var reason: String

    public init(row: Int?, reason: String) {
        self.row = row
        self.reason = reason
    }

    public var description: String { row.map { "row \($0): \(reason)" } ?? reason }
}

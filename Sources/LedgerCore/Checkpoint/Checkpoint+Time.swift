import Foundation

extension Checkpoint {
    /// How the ledger records signing time: an extension line (opaque to other C2SP clients,
    /// which tlog-checkpoint allows) of the form `time 2026-11-22T10:00:00Z`.
    public static let timeExtensionPrefix = "time "

    /// The extension line recording `date` in RFC 3339 UTC, to whole seconds.
    public static func timeExtension(_ date: Date) -> String {
        timeExtensionPrefix + date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    /// The time from the first `time` extension line, or nil when there is none or it does
    /// not parse.
    public var time: Date? {
        guard let line = extensions.first(where: { $0.hasPrefix(Self.timeExtensionPrefix) }) else { return nil }
        return try? Date.ISO8601FormatStyle(timeZone: .gmt).parse(String(line.dropFirst(Self.timeExtensionPrefix.count)))
    }
}

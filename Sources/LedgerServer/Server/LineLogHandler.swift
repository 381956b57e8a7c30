import Logging

/// swift-log's `StreamLogHandler` output, with a logger's metadata rendered only when a line is
/// written.
///
/// `StreamLogHandler` renders its metadata into a string every time the metadata changes, and
/// each request's logger changes twice (Hummingbird's request id, then the token id that
/// `AuthMiddleware` adds) whether or not the request ever logs. At the usual `warning` level
/// almost none do, and that rendering was about 7% of the CPU that single-event POSTs spend on
/// the concurrency pool (Benchmarks/PROFILES.md). This handler keeps the metadata as a dictionary
/// and hands it to `StreamLogHandler` with the line, so the lines read exactly as before.
public struct LineLogHandler: LogHandler {
    private var lines: StreamLogHandler
    public var metadata: Logger.Metadata = [:]

    public var metadataProvider: Logger.MetadataProvider? {
        get { lines.metadataProvider }
        set { lines.metadataProvider = newValue }
    }

    public var logLevel: Logger.Level {
        get { lines.logLevel }
        set { lines.logLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Lines on standard error, like `StreamLogHandler.standardError`.
    public static func standardError(label: String) -> LineLogHandler {
        LineLogHandler(StreamLogHandler.standardError(label: label))
    }

    /// Lines on `stream` (tests read them back).
    public init(label: String, stream: any TextOutputStream & Sendable) {
        self.init(StreamLogHandler(label: label, stream: stream, metadataProvider: nil))
    }

    private init(_ lines: StreamLogHandler) {
        self.lines = lines
    }

    public func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            // The line's own metadata wins over the logger's, as with StreamLogHandler.
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        }
        lines.log(event: event)
    }
}

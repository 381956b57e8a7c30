import Foundation
import LedgerServer
import Logging
import Synchronization
import Testing

/// Collects written lines, with the timestamp (the first field) cut off so lines compare.
private final class CollectedLines: TextOutputStream, @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""

    func write(_ string: String) {
        lock.withLock { text += string }
    }

    var withoutTimestamps: [String] {
        lock.withLock { text }.split(separator: "\n").map { line in
            String(line.drop { $0 != " " }.dropFirst())
        }
    }
}

@Suite struct LineLogHandlerTests {
    /// Logs the same things through `StreamLogHandler` and `LineLogHandler`.
    private func linesFromBoth(_ use: (inout Logger) -> Void) -> (stream: [String], line: [String]) {
        let streamOutput = CollectedLines()
        let lineOutput = CollectedLines()
        var streamLogger = Logger(label: "auditledger") { StreamLogHandler(label: $0, stream: streamOutput, metadataProvider: nil) }
        var lineLogger = Logger(label: "auditledger") { LineLogHandler(label: $0, stream: lineOutput) }
        use(&streamLogger)
        use(&lineLogger)
        return (streamOutput.withoutTimestamps, lineOutput.withoutTimestamps)
    }

    @Test func linesReadAsStreamLogHandlersDo() {
        let (stream, line) = linesFromBoth { logger in
            logger.logLevel = .info
            logger.info("no metadata")
            logger[metadataKey: "hb.request.id"] = "42"
            logger[metadataKey: "token"] = .string("tok_1")
            logger.warning("with the logger's metadata")
            logger.error("and its own", metadata: ["token": "overridden", "path": "/v1/events"])
            logger[metadataKey: "token"] = nil
            logger.notice("one key removed")
            logger.debug("below the level")
        }
        #expect(line.count == 4)
        #expect(line == stream)
        #expect(line[1].contains("token=tok_1"))
        #expect(line[2].contains("token=overridden"))
        #expect(!line[3].contains("token"))
    }

    @Test func metadataIsRenderedOnlyInLinesThatAreWritten() {
        let output = CollectedLines()
        var logger = Logger(label: "auditledger") { LineLogHandler(label: $0, stream: output) }
        logger.logLevel = .warning
        logger[metadataKey: "token"] = .stringConvertible(RenderCounter())
        logger.info("not written")
        #expect(RenderCounter.renders.load(ordering: .relaxed) == 0)
        logger.warning("written")
        #expect(RenderCounter.renders.load(ordering: .relaxed) == 1)
        #expect(output.withoutTimestamps.count == 1)
    }
}

/// A metadata value that counts how often it is turned into text.
private struct RenderCounter: CustomStringConvertible, Sendable {
    static let renders = Atomic<Int>(0)
    var description: String {
        Self.renders.add(1, ordering: .relaxed)
        return "counted"
    }
}

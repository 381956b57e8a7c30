import Foundation
import LedgerCore

/// Events to ingest, from a file or standard input: NDJSON read as a stream, or a JSON array
/// (recognised by its first non-blank byte, `[`) parsed whole.
struct EventInput {
    private let handle: FileHandle
    let totalBytes: Int?

    struct Chunk {
        var items: [(value: JSONValue, line: Int?)]
        var bytesRead: Int
    }

    init(path: String) throws {
        if path == "-" {
            handle = FileHandle.standardInput
            totalBytes = nil
            return
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CLIFailure.usage("cannot read \(path)") }
        self.handle = handle
        totalBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    }

    /// Parsed items in batches of `size`. A line that is not JSON becomes an item that fails
    /// validation with the parser's message, so it is reported with its line number.
    func batches(of size: Int) -> AsyncThrowingStream<Chunk, Error> {
        AsyncThrowingStream { continuation in
            let thread = Thread {
                do {
                    try read(batchSize: size) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            thread.start()
        }
    }

    private static let parser = JSONParser(maxDepth: 16, maxBytes: EventIntake.maxBodyBytes)

    private func read(batchSize: Int, emit: (Chunk) -> Void) throws {
        var pending: [UInt8] = []
        var bytesRead = 0
        var lineNumber = 0
        var items: [(value: JSONValue, line: Int?)] = []
        var isArray: Bool? = nil

        func flush(force: Bool) {
            while items.count >= batchSize || (force && !items.isEmpty) {
                let take = min(batchSize, items.count)
                emit(Chunk(items: Array(items[..<take]), bytesRead: bytesRead))
                items.removeFirst(take)
            }
        }

        while true {
            let data = try handle.read(upToCount: 1 << 20) ?? Data()
            bytesRead += data.count
            pending += data
            if isArray == nil, let first = pending.first(where: { !($0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09) }) {
                isArray = first == UInt8(ascii: "[")
            }
            if isArray == true {
                if data.isEmpty { break }
                continue
            }
            // NDJSON: parse every complete line; keep the unfinished tail for the next read.
            var start = 0
            while let newline = pending[start...].firstIndex(of: 0x0a) {
                lineNumber += 1
                appendLine(pending[start..<newline], number: lineNumber, to: &items)
                start = newline + 1
            }
            pending.removeFirst(start)
            flush(force: false)
            if data.isEmpty {
                if !pending.isEmpty {
                    lineNumber += 1
                    appendLine(pending[...], number: lineNumber, to: &items)
                }
                break
            }
        }
        if isArray == true {
            do {
                guard case .array(let elements) = try Self.parser.parse(pending) else { throw CLIFailure.usage("expected a JSON array") }
                items = elements.map { ($0, nil) }
            } catch let error as JSONParseError {
                throw CLIFailure.usage("the input is not a valid JSON array: \(error)")
            }
        }
        flush(force: true)
    }

    private func appendLine(_ line: ArraySlice<UInt8>, number: Int, to items: inout [(value: JSONValue, line: Int?)]) {
        var bytes = line
        if bytes.last == 0x0d { bytes = bytes.dropLast() }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        do {
            items.append((try Self.parser.parse(bytes), number))
        } catch {
            // Not an object: the validator reports it as "must be a JSON object"; keep the parser's words.
            items.append((.string("invalid JSON: \(error)"), number))
        }
    }
}

/// Turns an export file's bytes, fed in chunks, into numbered rows for `ExportVerifier`:
/// NDJSON lines, or CSV records after the header.
///
/// A row that cannot be read as an event is not an error of the reader: it is a row that was
/// changed, and the verifier reports it with its number.
public struct ExportRowReader: Sendable {
    public enum Row: Sendable {
        /// The event re-hashed from the row's fields, and the hash the row claims.
        case event(StoredEvent, claimedHash: String?)
        case unreadable(String)
    }

    public let format: ExportFormat
    private var csv = CSVRecordReader()
    private var pendingLine: [UInt8] = []
    private var sawHeader = false
    /// Rows produced so far, which is the number of the last one (1-based, header excluded).
    public private(set) var rowCount = 0

    public init(format: ExportFormat) {
        self.format = format
    }

    /// The rows `bytes` complete, each with its number.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [(number: Int, row: Row)] {
        switch format {
        case .ndjson:
            var rows: [(Int, Row)] = []
            for byte in bytes {
                if byte == UInt8(ascii: "\n") {
                    rows.append(ndjsonRow(pendingLine))
                    pendingLine.removeAll(keepingCapacity: true)
                } else {
                    pendingLine.append(byte)
                }
            }
            return rows
        case .csv:
            var records: [[String]] = []
            do {
                try csv.feed(bytes, into: &records)
                return records.compactMap { csvRow($0) }
            } catch {
                return records.compactMap { csvRow($0) } + [number(.unreadable(error.description))]
            }
        }
    }

    /// Rows left when the input ends: an unterminated last line, or a malformed CSV ending.
    public mutating func finish() -> [(number: Int, row: Row)] {
        switch format {
        case .ndjson:
            // The writer ends every line with LF, so an unterminated line is itself a change.
            guard !pendingLine.isEmpty else { return [] }
            defer { pendingLine.removeAll() }
            return [ndjsonRow(pendingLine)]
        case .csv:
            do {
                return try csv.finish().flatMap { csvRow($0) }.map { [$0] } ?? []
            } catch {
                return [number(.unreadable(error.description))]
            }
        }
    }

    private mutating func number(_ row: Row) -> (number: Int, row: Row) {
        rowCount += 1
        return (rowCount, row)
    }

    private mutating func ndjsonRow(_ line: [UInt8]) -> (number: Int, row: Row) {
        do {
            let value = try JSONParser().parse(line)
            return number(.event(try StoredEvent(json: value), claimedHash: value["hash"]?.stringValue))
        } catch {
            return number(.unreadable("not an event: \(error)"))
        }
    }

    private mutating func csvRow(_ cells: [String]) -> (number: Int, row: Row)? {
        if !sawHeader {
            sawHeader = true
            if cells == StoredEvent.csvColumns { return nil }
            return number(.unreadable("the header is not the export's columns"))
        }
        do {
            return number(.event(try StoredEvent(csvCells: cells), claimedHash: cells.last))
        } catch {
            return number(.unreadable("not an event: \(error)"))
        }
    }
}

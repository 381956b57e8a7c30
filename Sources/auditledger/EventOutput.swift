import ArgumentParser
import Foundation
import LedgerCore

/// How commands print events.
enum EventFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, ndjson, csv
}

/// Writes events to standard output in one format, buffering so large outputs stay fast.
struct EventPrinter {
    let format: EventFormat
    private let csv = CSVWriter()
    private var buffer: [UInt8] = []

    init(format: EventFormat) {
        self.format = format
        buffer.reserveCapacity(64 * 1024)
    }

    /// The line before any event: the CSV header, the table header.
    mutating func begin() {
        switch format {
        case .csv: csv.appendRow(StoredEvent.csvColumns, to: &buffer)
        case .table: appendLine(Self.tableRow(["TIME (UTC)", "SEQ", "NAME", "ACTOR", "IP", "LOCATION", "OUTCOME"]))
        case .json, .ndjson: break
        }
    }

    mutating func write(_ event: StoredEvent) {
        switch format {
        case .ndjson, .json:
            event.json.appendCanonical(to: &buffer)
            buffer.append(UInt8(ascii: "\n"))
        case .csv:
            csv.appendRow(event.csvCells, to: &buffer)
        case .table:
            let place = [event.geo.location?.city, event.geo.location?.countryCode].compactMap { $0 }.joined(separator: ", ")
            appendLine(Self.tableRow([
                event.content.occurredAt.rfc3339, String(event.seq), event.content.name,
                event.content.actor.name.map { "\($0) (\(event.content.actor.id))" } ?? event.content.actor.id,
                event.content.ip?.description ?? "-", place.isEmpty ? "-" : place, event.content.outcome.name,
            ]))
        }
        if buffer.count >= 60 * 1024 { flush() }
    }

    mutating func appendLine(_ line: String) {
        buffer += line.utf8
        buffer.append(UInt8(ascii: "\n"))
    }

    mutating func flush() {
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    /// Fixed-width columns; long cells are cut so one event stays on one line.
    static func tableRow(_ cells: [String]) -> String {
        let widths = [27, 8, 22, 24, 16, 22, 7]
        return zip(cells, widths).map { cell, width in
            let clean = String(cell.map { $0.isNewline || $0 == "\t" ? " " : $0 })
            let cut = clean.count > width ? String(clean.prefix(width - 1)) + "…" : clean
            return cut.padding(toLength: width, withPad: " ", startingAt: 0)
        }.joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}

import Hummingbird
import LedgerCore
import LedgerStore
import NIOCore

/// `GET /v1/export`: an account's events received in `[from, to)`, in chain order, streamed
/// as NDJSON (each line the event's JSON form) or CSV (`StoredEvent.csvCells`).
///
/// Memory stays constant: the store's export cursor holds one read snapshot and hands out a
/// page at a time, and each page is written to the connection before the next is read, so a
/// slow client slows the export instead of filling the server's memory.
struct ExportController: Sendable {
    static let pageSize = 500

    enum Format: String, Sendable {
        case ndjson, csv
    }

    let ledger: any LedgerRepository
    let metrics: ServerMetrics
    let audit: ReadAudit

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(use: export)
    }

    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.requireToken(.read)
        let parameters = try QueryParameters(request.uri.query, allowed: ["account", "from", "to", "format"])
        let account = try token.account(requested: parameters.single("account"))
        let from = try parameters.time("from"), to = try parameters.time("to")
        if let from, let to, from >= to { throw APIError.invalidParameter("to", "must be later than from") }
        let formatText = try parameters.single("format") ?? Format.ndjson.rawValue
        guard let format = Format(rawValue: formatText) else { throw APIError.invalidParameter("format", "must be ndjson or csv") }

        var filters: JSONObject = ["format": .string(format.rawValue)]
        if let from { filters["from"] = .string(from.rfc3339) }
        if let to { filters["to"] = .string(to.rfc3339) }
        // Recorded before the export is read, so an export whose range reaches now ends with
        // the record of itself: the file shows when and by whom it was taken.
        try await audit.record("auditledger.export", by: token, account: account, filters: filters, from: context.remoteAddress)
        let cursor = try await ledger.export(ExportRequest(account: account, receivedFrom: from, receivedTo: to))
        metrics.exports.increment()

        let logger = context.logger
        let body = ResponseBody { writer in
            do {
                var bytes: [UInt8] = []
                if format == .csv { CSVWriter().appendRow(StoredEvent.csvColumns, to: &bytes) }
                while true {
                    let events = try await cursor.next(Self.pageSize)
                    if events.isEmpty { break }
                    for event in events { Self.append(event, format: format, to: &bytes) }
                    try await writer.write(ByteBuffer(bytes: bytes))
                    bytes.removeAll(keepingCapacity: true)
                }
                if !bytes.isEmpty { try await writer.write(ByteBuffer(bytes: bytes)) }
                try await writer.finish(nil)
                await cursor.close()
            } catch {
                // The status line is already sent; ending the body early is the only way left
                // to tell the client, which sees a truncated chunked response.
                logger.error("export failed mid-stream", metadata: ["error": "\(error)", "account": "\(account)"])
                await cursor.close()
                throw error
            }
        }
        let contentType = format == .csv ? "text/csv; charset=utf-8" : "application/x-ndjson"
        let filename = "auditledger-\(account).\(format == .csv ? "csv" : "ndjson")"
        return Response(status: .ok, headers: [
            .contentType: contentType, .contentDisposition: "attachment; filename=\"\(filename)\"",
        ], body: body)
    }

    private static func append(_ event: StoredEvent, format: Format, to bytes: inout [UInt8]) {
        switch format {
        case .csv: CSVWriter().appendRow(event.csvCells, to: &bytes)
        case .ndjson:
            event.json.appendCanonical(to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
    }
}

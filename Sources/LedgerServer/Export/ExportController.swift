import HTTPTypes
import Hummingbird
import LedgerCore
import LedgerStore
import NIOCore

/// `GET /v1/export`: an account's events received in `[from, to)`, in chain order, streamed
/// as NDJSON (each line the event's JSON form) or CSV (`StoredEvent.csvCells`); and
/// `GET /v1/export/manifest`: the manifest `verify-export` checks that export against.
///
/// **Export and manifest agree by construction.** Each request is recorded first (an
/// `auditledger.export` event), and the range actually served ends at the record's receive
/// time, or earlier when `to` asks so: the ledger never receives anything before a time it has
/// already handed out, so the events of that range are final. The response names the range in
/// `AuditLedger-Export-Range` (`from=…&to=…`) and links the manifest of exactly that range;
/// the manifest endpoint re-reads the range, encodes it with the same code, and hashes the
/// bytes, so its manifest describes the file the export sent, byte for byte. The record of an
/// export is thereby the first event after its range: a series of exports, each starting where
/// the previous one ended, covers the chain and shows who took each one.
///
/// Memory stays constant: the store's export cursor holds one read snapshot and hands out a
/// page at a time, and each page is written to the connection before the next is read, so a
/// slow client slows the export instead of filling the server's memory.
struct ExportController: Sendable {
    static let pageSize = 500
    static let rangeHeader = HTTPField.Name("AuditLedger-Export-Range")!
    static let linkHeader = HTTPField.Name("Link")!

    let ledger: any LedgerRepository
    let checkpoints: (any CheckpointProviding)?
    let metrics: ServerMetrics
    let audit: ReadAudit
    let clock: any TimestampClock

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(use: export)
        group.get("manifest", use: manifest)
    }

    /// What one export or manifest request is about, once checked.
    struct Selection {
        var account: String
        var format: ExportFormat
        var from: Timestamp?
        var to: Timestamp?

        init(_ request: Request, token: APIToken, toRequired: Bool) throws(APIError) {
            let parameters = try QueryParameters(request.uri.query, allowed: ["account", "from", "to", "format"])
            account = try token.account(requested: parameters.single("account"))
            from = try parameters.time("from")
            to = try parameters.time("to")
            if toRequired, to == nil {
                throw APIError.invalidParameter("to", "is required: pass the range of the export's AuditLedger-Export-Range header")
            }
            if let from, let to, from >= to { throw APIError.invalidParameter("to", "must be later than from") }
            let formatText = try parameters.single("format") ?? ExportFormat.ndjson.rawValue
            guard let format = ExportFormat(rawValue: formatText) else { throw APIError.invalidParameter("format", "must be ndjson or csv") }
            self.format = format
        }

        var filters: JSONObject {
            var filters: JSONObject = ["format": .string(format.rawValue)]
            if let from { filters["from"] = .string(from.rfc3339) }
            if let to { filters["to"] = .string(to.rfc3339) }
            return filters
        }

        /// The range served: `to` capped at `recordedAt`, the receive time of this request's record.
        func served(recordedAt: Timestamp) -> ExportRequest {
            ExportRequest(account: account, receivedFrom: from, receivedTo: min(to ?? recordedAt, recordedAt))
        }
    }

    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.requireToken(.read)
        let selection = try Selection(request, token: token, toRequired: false)
        let recordedAt = try await audit.recordReceivedAt("auditledger.export", by: token, account: selection.account,
                                                          filters: selection.filters, from: context.remoteAddress)
        let range = selection.served(recordedAt: recordedAt)
        let cursor = try await ledger.export(range)
        metrics.exports.increment()

        let logger = context.logger, format = selection.format
        let body = ResponseBody { writer in
            do {
                var bytes: [UInt8] = []
                Self.appendHeader(format: format, to: &bytes)
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
                logger.error("export failed mid-stream", metadata: ["error": "\(error)", "account": "\(range.account)"])
                await cursor.close()
                throw error
            }
        }
        let contentType = format == .csv ? "text/csv; charset=utf-8" : "application/x-ndjson"
        let filename = "auditledger-\(range.account).\(format.rawValue)"
        var headers: HTTPFields = [.contentType: contentType, .contentDisposition: "attachment; filename=\"\(filename)\""]
        Self.addRangeHeaders(range, format: format, to: &headers)
        return Response(status: .ok, headers: headers, body: body)
    }

    /// The manifest of the export of the same parameters: the range's bytes encoded exactly as
    /// `export` streams them, hashed, counted, with the signed checkpoint that contains the last
    /// row and the row's inclusion proof (signed now when the latest checkpoint predates it).
    /// `to` is required: the manifest belongs to an export that was already taken.
    @Sendable func manifest(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.requireToken(.read)
        let selection = try Selection(request, token: token, toRequired: true)
        guard let checkpoints else { throw APIError.signingUnavailable }
        var filters = selection.filters
        filters["manifest"] = true
        let recordedAt = try await audit.recordReceivedAt("auditledger.export", by: token, account: selection.account,
                                                          filters: filters, from: context.remoteAddress)
        let range = selection.served(recordedAt: recordedAt)
        var builder = ExportManifestBuilder(format: selection.format, account: range.account,
                                            receivedFrom: range.receivedFrom, receivedTo: range.receivedTo)
        let cursor = try await ledger.export(range)
        do {
            var bytes: [UInt8] = []
            Self.appendHeader(format: selection.format, to: &bytes)
            while true {
                let events = try await cursor.next(Self.pageSize)
                if events.isEmpty { break }
                for event in events {
                    Self.append(event, format: selection.format, to: &bytes)
                    builder.wrote(event: event)
                }
                builder.wrote(bytes: bytes)
                bytes.removeAll(keepingCapacity: true)
            }
            builder.wrote(bytes: bytes)
            await cursor.close()
        } catch {
            await cursor.close()
            throw error
        }
        metrics.exports.increment()

        var checkpoint: StoredCheckpoint?, proof: [MerkleHash]?
        if let last = builder.last {
            let evidence = try await checkpoints.inclusion(of: last.seq)
            checkpoint = evidence.checkpoint
            proof = evidence.proof
        } else {
            // Nothing to prove; the latest checkpoint (if any) still dates the manifest.
            checkpoint = try await ledger.latestCheckpoint()
        }
        let manifest = builder.manifest(checkpoint: checkpoint?.signedNote, inclusionProof: proof,
                                        checkpointTreeSize: proof == nil ? nil : checkpoint?.treeSize, createdAt: clock.now())
        var response = Response.json(manifest.json)
        Self.addRangeHeaders(range, format: selection.format, to: &response.headers)
        return response
    }

    /// `AuditLedger-Export-Range: [from=…&]to=…`, the range served, in the parameters' own form
    /// (RFC 3339 UTC to the microsecond, which needs no escaping in a query), and a link to the
    /// manifest of exactly that range.
    static func addRangeHeaders(_ range: ExportRequest, format: ExportFormat, to headers: inout HTTPFields) {
        var parameters: [String] = []
        if let from = range.receivedFrom { parameters.append("from=\(from.rfc3339)") }
        if let to = range.receivedTo { parameters.append("to=\(to.rfc3339)") }
        let rangeText = parameters.joined(separator: "&")
        headers[rangeHeader] = rangeText
        headers[linkHeader] = "</v1/export/manifest?account=\(range.account)&format=\(format.rawValue)&\(rangeText)>; rel=\"describedby\""
    }

    static func appendHeader(format: ExportFormat, to bytes: inout [UInt8]) {
        if format == .csv { CSVWriter().appendRow(StoredEvent.csvColumns, to: &bytes) }
    }

    static func append(_ event: StoredEvent, format: ExportFormat, to bytes: inout [UInt8]) {
        switch format {
        case .csv: CSVWriter().appendRow(event.csvCells, to: &bytes)
        case .ndjson:
            event.json.appendCanonical(to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
    }
}

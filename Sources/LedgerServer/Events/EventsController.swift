import HTTPTypes
import Hummingbird
import LedgerCore
import LedgerStore
import NIOCore

/// `/v1/events`: ingest, search, and one event by `seq` or client id.
struct EventsController: Sendable {
    let ledger: any LedgerRepository
    let enricher: GeoEnricher
    let clock: any TimestampClock
    let metrics: ServerMetrics
    let audit: ReadAudit

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post(use: ingest)
        group.get(use: search)
        group.get("{ref}", use: show)
    }

    // MARK: POST /v1/events

    @Sendable func ingest(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.requireToken(.ingest)
        metrics.ingestRequests.increment()
        do {
            return try await ingest(request, token: token)
        } catch let error as APIError where error.status.code < 500 {
            metrics.rejectedRequests.increment()
            throw error
        }
    }

    private func ingest(_ request: Request, token: APIToken) async throws -> Response {
        let batch = try await validatedBatch(request, token: token)
        metrics.batchSize.record(batch.events.count)
        metrics.appendsInFlight.increment()
        defer { metrics.appendsInFlight.decrement() }
        let receipts = try await metrics.time(metrics.commitLatency) { try await ledger.append(batch.events) }

        let stored = receipts.filter { !$0.replayed }.count
        metrics.eventsIngested.increment(by: stored)
        metrics.replayedEvents.increment(by: receipts.count - stored)
        let status: HTTPResponse.Status = stored == 0 ? .ok : .created
        if batch.isBatch {
            return .json(.object(["receipts": .array(receipts.map(Self.json))]), status: status)
        }
        var response = Response.json(Self.json(receipts[0]), status: status)
        response.headers[.location] = "/v1/events/\(receipts[0].seq)"
        return response
    }

    /// Reads, parses and validates the body into the events to append. A function of its own so
    /// that the body and its parsed JSON, several times the size of the events they become, are
    /// freed when it returns, before the request waits for its commit: locals of `ingest` would
    /// live across that wait, and with 64 clients posting batches of 100 every waiting request
    /// held both (Benchmarks/PROFILES.md, "Server memory under load").
    private func validatedBatch(_ request: Request, token: APIToken) async throws -> IntakeBatch {
        _ = try QueryParameters(request.uri.query, allowed: [])
        let format = try Self.bodyFormat(request.headers[.contentType])
        let body = try await RequestBodyLimit.collect(request, limit: EventIntake.maxBodyBytes)
        let idempotencyKey = request.headers[.idempotencyKey]

        let intake = EventIntake(
            validator: EventValidator(now: clock.now(), defaultAccount: token.isBoundToOneAccount ? token.account : nil),
            enricher: enricher)
        let items: [(value: JSONValue, line: Int?)]
        let isBatch: Bool
        switch intake.parse(body, format: format) {
        case .failure(let failure): throw APIError.validation(failure, code: "invalid_json")
        case .success(let parsed): (items, isBatch) = parsed
        }
        let batch: IntakeBatch
        switch intake.batch(items: items, isBatch: isBatch, idempotencyKey: idempotencyKey) {
        case .failure(let failure): throw APIError.validation(failure)
        case .success(let valid): batch = valid
        }
        // Checked after validation so that the client first learns every problem of its body;
        // a foreign account is a permission problem, not a malformed event.
        guard batch.events.allSatisfy({ token.covers(account: $0.content.account) }) else { throw APIError.forbidden }
        return batch
    }

    static func bodyFormat(_ contentType: String?) throws(APIError) -> EventBodyFormat {
        // A body without a content type is taken as JSON: what most HTTP clients send by default.
        guard let contentType else { return .json }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: " \t").lowercased()
        } ?? ""
        switch mediaType {
        case "application/json": return .json
        case "application/x-ndjson", "application/jsonl", "application/json-seq", "application/ndjson": return .ndjson
        default:
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type",
                           message: "Send application/json (one event or an array) or application/x-ndjson")
        }
    }

    static func json(_ receipt: AppendReceipt) -> JSONValue {
        var object: JSONObject = [
            "seq": JSONValue(integer: receipt.seq), "account_seq": JSONValue(integer: receipt.accountSeq),
            "hash": .string(receipt.hash.description), "replayed": .bool(receipt.replayed),
        ]
        if let id = receipt.clientID { object["id"] = .string(id) }
        return .object(object)
    }

    // MARK: GET /v1/events

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.requireToken(.read)
        let parameters = try QueryParameters(request.uri.query, allowed: SearchParameters.names)
        let account = try token.account(requested: parameters.single("account"))
        let (query, filters) = try SearchParameters.query(parameters, account: account)
        let page = try await metrics.time(metrics.searchLatency) { try await ledger.search(query) }
        metrics.searches.increment()
        try await audit.record("auditledger.search", by: token, account: account, filters: filters, from: context.remoteAddress)
        return .json(.object([
            "events": .array(page.events.map(\.json)),
            "next_cursor": page.nextCursor.map { .string($0.token) } ?? .null,
        ]))
    }

    // MARK: GET /v1/events/{ref}

    /// `ref` is a `seq` (all digits) or the client's `id`. A digit-only client id is found too,
    /// when no event of the account has that `seq`.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.requireToken(.read)
        let parameters = try QueryParameters(request.uri.query, allowed: ["account"])
        let account = try token.account(requested: parameters.single("account"))
        let ref = try PathSegment.decode(context.parameters.require("ref"))
        if ref.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), ref.utf8.count <= 19,
           let seq = UInt64(ref), let event = try await ledger.event(account: account, seq: seq) {
            return .json(event.json)
        }
        guard EventRules.isValidClientID(ref), let event = try await ledger.event(account: account, clientID: ref) else {
            throw APIError.notFound
        }
        return .json(event.json)
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}

private extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        let characters = Set(set)
        let start = firstIndex { !characters.contains($0) } ?? endIndex
        let end = self[start...].lastIndex { !characters.contains($0) }.map { index(after: $0) } ?? start
        return self[start..<end]
    }
}

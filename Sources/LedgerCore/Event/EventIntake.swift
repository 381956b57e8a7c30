/// How a request body or file holds events.
public enum EventBodyFormat: Sendable {
    /// One JSON object, or a JSON array of them.
    case json
    /// One JSON object per line (`application/x-ndjson`, JSON Lines).
    case ndjson
}

/// Validated, located events from one request body, ready for one atomic append.
public struct IntakeBatch: Sendable {
    public var events: [NewEvent]
    /// True for an array or NDJSON body: the response lists a receipt per event.
    public var isBatch: Bool
}

/// Turns a request body into events: parse, validate every item, then look up locations.
///
/// Shared by the HTTP API and `auditledger ingest`, so both refuse exactly the same input.
public struct EventIntake: Sendable {
    public static let maxBatchItems = 1_000
    public static let maxBodyBytes = 5 * 1024 * 1024

    public var validator: EventValidator
    public var enricher: GeoEnricher
    public var maxBatchItems = EventIntake.maxBatchItems
    /// Depth 16 leaves room for the envelope around metadata, whose own limit (8) the validator checks.
    public var parser = JSONParser(maxDepth: 16, maxBytes: EventIntake.maxBodyBytes)

    public init(validator: EventValidator, enricher: GeoEnricher) {
        self.validator = validator
        self.enricher = enricher
    }

    public func batch(from body: some Collection<UInt8>, format: EventBodyFormat,
                      idempotencyKey: String? = nil) -> Result<IntakeBatch, ValidationFailure> {
        let bytes = Array(body)
        let items: [(value: JSONValue, line: Int?)]
        let isBatch: Bool
        switch parse(bytes, format: format) {
        case .failure(let failure): return .failure(failure)
        case .success(let parsed): (items, isBatch) = parsed
        }
        return batch(items: items, isBatch: isBatch, idempotencyKey: idempotencyKey)
    }

    /// Validates and locates items already parsed (the CLI parses a file once and cuts it into
    /// batches). `line` is the item's line in an NDJSON file, for messages.
    public func batch(items: [(value: JSONValue, line: Int?)], isBatch: Bool,
                      idempotencyKey: String? = nil) -> Result<IntakeBatch, ValidationFailure> {
        if items.isEmpty { return .failure(ValidationFailure([ValidationIssue(field: "", reason: "the body holds no events")])) }
        if items.count > maxBatchItems {
            return .failure(ValidationFailure([ValidationIssue(
                field: "", reason: "a batch holds at most \(maxBatchItems) events; this one has \(items.count)")]))
        }
        if isBatch, idempotencyKey != nil {
            return .failure(ValidationFailure([ValidationIssue(
                field: "Idempotency-Key", reason: "applies to single events; give each event of a batch its own id")]))
        }
        var issues: [ValidationIssue] = []
        var validated: [ValidatedEvent] = []
        validated.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            switch validator.validate(item.value, idempotencyKey: isBatch ? nil : idempotencyKey) {
            case .success(let event): validated.append(event)
            case .failure(let failure):
                issues += failure.issues.map { issue in
                    var issue = issue
                    if isBatch { issue.index = index }
                    issue.line = item.line
                    return issue
                }
            }
        }
        if !issues.isEmpty { return .failure(ValidationFailure(issues)) }
        let events = validated.map { $0.located(enricher.enrich($0.content.ip)) }
        return .success(IntakeBatch(events: events, isBatch: isBatch))
    }

    /// Parses a body into items: an array's elements, one object, or NDJSON lines.
    public func parse(_ bytes: [UInt8], format: EventBodyFormat) -> Result<([(value: JSONValue, line: Int?)], Bool), ValidationFailure> {
        switch format {
        case .json:
            do {
                let value = try parser.parse(bytes)
                if case .array(let elements) = value { return .success((elements.map { ($0, nil) }, true)) }
                return .success(([(value, nil)], false))
            } catch {
                return .failure(ValidationFailure([ValidationIssue(field: "", reason: "invalid JSON: \(error)")]))
            }
        case .ndjson:
            var items: [(value: JSONValue, line: Int?)] = []
            var issues: [ValidationIssue] = []
            for line in NDJSONLines(bytes) {
                do {
                    items.append((try parser.parse(line.bytes), line.number))
                } catch {
                    issues.append(ValidationIssue(index: items.count + issues.count, line: line.number, field: "",
                                                  reason: "invalid JSON: \(error)"))
                }
                if items.count + issues.count > maxBatchItems { break }
            }
            return issues.isEmpty ? .success((items, true)) : .failure(ValidationFailure(issues))
        }
    }
}

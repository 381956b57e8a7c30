/// One reason an event (or an item of a batch) was refused.
public struct ValidationIssue: Hashable, Sendable, CustomStringConvertible {
    /// Position in the batch (0-based), or nil for a single event.
    public var index: Int?
    /// The 1-based line of an NDJSON body or file the item came from.
    public var line: Int?
    /// The offending field as a path: `name`, `actor.id`, `targets[2].type`; empty for the item itself.
    public var field: String
    public var reason: String

    public init(index: Int? = nil, line: Int? = nil, field: String, reason: String) {
        self.index = index
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var description: String {
        let place = field.isEmpty ? "" : "\(field): "
        if let line { return "line \(line): \(place)\(reason)" }
        return index.map { "item \($0): \(place)\(reason)" } ?? "\(place)\(reason)"
    }
}

/// Every issue found in an event or a batch.
public struct ValidationFailure: Error, Hashable, Sendable {
    public var issues: [ValidationIssue]
    public init(_ issues: [ValidationIssue]) { self.issues = issues }
}

/// An event that passed validation: its content, and whether the client gave `occurred_at`.
public struct ValidatedEvent: Hashable, Sendable {
    public var content: EventContent
    public var occurredAtGiven: Bool

    /// The event ready for storage, with its location.
    public func located(_ geo: GeoResult) -> NewEvent {
        NewEvent(content: content, occurredAtGiven: occurredAtGiven, geo: geo)
    }
}

/// Checks posted events against every rule of PRODUCT.md's event model and normalises them.
///
/// Every problem of an event is reported, not just the first, so a client can fix a batch in
/// one round trip.
public struct EventValidator: Sendable {
    /// The receive time: the default `occurred_at`, and what "in the future" is measured from.
    public var now: Timestamp
    /// The account to use when an event names none (a token bound to one account).
    public var defaultAccount: String?

    static let topLevelFields: Set<String> = [
        "id", "account", "name", "actor", "ip", "occurred_at", "targets", "outcome", "description",
        "user_agent", "metadata",
    ]
    static let actorFields: Set<String> = ["id", "name", "email", "type"]
    static let targetFields: Set<String> = ["type", "id", "name"]

    public init(now: Timestamp, defaultAccount: String? = nil) {
        self.now = now
        self.defaultAccount = defaultAccount
    }

    /// Validates a batch: all of it, or every issue of every item.
    public func validate(batch items: [JSONValue]) -> Result<[ValidatedEvent], ValidationFailure> {
        var events: [ValidatedEvent] = []
        var issues: [ValidationIssue] = []
        events.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            switch validate(item) {
            case .success(let event): events.append(event)
            case .failure(let failure): issues += failure.issues.map { with($0) { $0.index = index } }
            }
        }
        return issues.isEmpty ? .success(events) : .failure(ValidationFailure(issues))
    }

    /// Validates one event. `idempotencyKey` is the `Idempotency-Key` header, if any.
    public func validate(_ value: JSONValue, idempotencyKey: String? = nil) -> Result<ValidatedEvent, ValidationFailure> {
        guard case .object(let object) = value else {
            return .failure(ValidationFailure([ValidationIssue(field: "", reason: "an event must be a JSON object, not \(value.kindName)")]))
        }
        var issues = Issues()
        for member in object.members where !Self.topLevelFields.contains(member.key) {
            issues.add(member.key, "unknown field")
        }

        var clientID = issues.string(object["id"], "id", rule: EventRules.isValidClientID,
                                     "must be 1–128 printable ASCII characters without spaces")
        if let idempotencyKey {
            if !EventRules.isValidClientID(idempotencyKey) {
                issues.add("Idempotency-Key", "must be 1–128 printable ASCII characters without spaces")
            } else if let clientID, clientID != idempotencyKey {
                issues.add("id", "differs from the Idempotency-Key header")
            } else {
                clientID = idempotencyKey
            }
        }

        let account = issues.string(object["account"], "account", rule: EventRules.isValidAccount,
                                    "must match [a-z0-9][a-z0-9_.-]{0,63}") ?? defaultAccount
        if account == nil, !issues.has("account") { issues.add("account", "is required") }

        let name = issues.string(object["name"], "name", rule: EventRules.isValidName,
                                 "must be lowercase dotted words ([a-z0-9_]+(.[a-z0-9_]+)*), at most 128 bytes")
        if name == nil, !issues.has("name") { issues.add("name", "is required") }

        let actor = validateActor(object["actor"], &issues)

        var ip: IPAddress? = nil
        if let text = issues.string(object["ip"], "ip", rule: { _ in true }, "") {
            ip = IPAddress(text)
            if ip == nil { issues.add("ip", "is not an IPv4 or IPv6 address") }
        }

        var occurredAt = now
        var occurredAtGiven = false
        if let text = issues.string(object["occurred_at"], "occurred_at", rule: { _ in true }, "") {
            if let time = Timestamp(rfc3339: text) {
                if time.microseconds - now.microseconds > EventRules.maxFutureSkewMicroseconds {
                    issues.add("occurred_at", "is more than 5 minutes in the future")
                }
                occurredAt = time
                occurredAtGiven = true
            } else {
                issues.add("occurred_at", "is not an RFC 3339 time such as 2026-11-21T10:00:00Z")
            }
        }

        let targets = validateTargets(object["targets"], &issues)

        var outcome = Outcome.success
        if let text = issues.string(object["outcome"], "outcome", rule: { Outcome(name: $0) != nil }, "must be success or failure") {
            outcome = Outcome(name: text) ?? .success
        }

        // An empty description or user agent is stored as absent, so that exports (CSV has no
        // null) re-encode to exactly the hashed bytes.
        let description = issues.string(
            object["description"], "description",
            rule: { $0.utf8.count <= EventRules.maxDescriptionBytes && EventRules.isCleanText($0) },
            "must be at most 2 KiB of text without control characters").flatMap { $0.isEmpty ? nil : $0 }
        let userAgent = issues.string(
            object["user_agent"], "user_agent",
            rule: { $0.utf8.count <= EventRules.maxUserAgentBytes && EventRules.isCleanText($0) },
            "must be at most 1 KiB of text without control characters").flatMap { $0.isEmpty ? nil : $0 }
        let metadata = validateMetadata(object["metadata"], &issues)

        guard issues.isEmpty, let account, let name, let actor else { return .failure(ValidationFailure(issues.list)) }
        return .success(ValidatedEvent(
            content: EventContent(
                clientID: clientID, account: account, name: name, actor: actor, ip: ip,
                occurredAt: occurredAt, targets: targets, outcome: outcome, description: description,
                userAgent: userAgent, metadata: metadata),
            occurredAtGiven: occurredAtGiven))
    }

    private func validateActor(_ value: JSONValue?, _ issues: inout Issues) -> EventActor? {
        guard let value, !value.isNull else {
            issues.add("actor", "is required")
            return nil
        }
        guard case .object(let object) = value else {
            issues.add("actor", "must be an object with an id")
            return nil
        }
        for member in object.members where !Self.actorFields.contains(member.key) {
            issues.add("actor.\(member.key)", "unknown field")
        }
        let id = issues.string(object["id"], "actor.id", rule: { Self.isShortText($0, EventRules.maxActorIDLength) },
                               "must be 1–256 bytes of text without control characters")
        if id == nil, !issues.has("actor.id") { issues.add("actor.id", "is required") }
        let name = issues.string(object["name"], "actor.name", rule: { Self.isShortText($0, EventRules.maxActorNameLength) },
                                 "must be 1–256 bytes of text without control characters")
        let email = issues.string(object["email"], "actor.email", rule: EventRules.isPlausibleEmail,
                                  "is not an email address")
        let type = issues.string(object["type"], "actor.type", rule: { ActorType(rawValue: $0) != nil },
                                 "must be user, service or system")
        guard let id else { return nil }
        return EventActor(id: id, name: name, email: email, type: type.flatMap(ActorType.init(rawValue:)))
    }

    private func validateTargets(_ value: JSONValue?, _ issues: inout Issues) -> [EventTarget] {
        guard let value, !value.isNull else { return [] }
        guard case .array(let items) = value else {
            issues.add("targets", "must be an array of {type, id, name?}")
            return []
        }
        if items.count > EventRules.maxTargets {
            issues.add("targets", "has \(items.count) items; at most \(EventRules.maxTargets) are allowed")
            return []
        }
        var targets: [EventTarget] = []
        for (index, item) in items.enumerated() {
            // Built only for an issue (the autoclosures of `issues.string`).
            func path() -> String { "targets[\(index)]" }
            guard case .object(let object) = item else {
                issues.add(path(), "must be an object with type and id")
                continue
            }
            for member in object.members where !Self.targetFields.contains(member.key) {
                issues.add("\(path()).\(member.key)", "unknown field")
            }
            let rule = { (text: String) in Self.isShortText(text, EventRules.maxTargetFieldLength) }
            let reason = "must be 1–256 bytes of text without control characters"
            let type = issues.string(object["type"], "\(path()).type", rule: rule, reason)
            let id = issues.string(object["id"], "\(path()).id", rule: rule, reason)
            let name = issues.string(object["name"], "\(path()).name", rule: rule, reason)
            if type == nil, !issues.has("\(path()).type") { issues.add("\(path()).type", "is required") }
            if id == nil, !issues.has("\(path()).id") { issues.add("\(path()).id", "is required") }
            if let type, let id { targets.append(EventTarget(type: type, id: id, name: name)) }
        }
        return targets
    }

    private func validateMetadata(_ value: JSONValue?, _ issues: inout Issues) -> String? {
        guard let value, !value.isNull else { return nil }
        guard case .object = value else {
            issues.add("metadata", "must be a JSON object")
            return nil
        }
        if Self.depth(of: value) > EventRules.maxMetadataDepth {
            issues.add("metadata", "is nested deeper than \(EventRules.maxMetadataDepth) levels")
            return nil
        }
        let text = value.canonicalText
        if text.utf8.count > EventRules.maxMetadataBytes {
            issues.add("metadata", "is \(text.utf8.count) bytes serialized; at most 16 KiB is allowed")
            return nil
        }
        return text
    }

    /// Nesting depth: a scalar is 0, `{}` is 1, `{"a":{}}` is 2.
    static func depth(of value: JSONValue) -> Int {
        var deepest = 0
        switch value {
        case .array(let items):
            for item in items { deepest = max(deepest, depth(of: item)) }
        case .object(let object):
            for member in object.members { deepest = max(deepest, depth(of: member.value)) }
        default:
            return 0
        }
        return 1 + deepest
    }

    static func isShortText(_ text: String, _ maxBytes: Int) -> Bool {
        (1...maxBytes).contains(text.utf8.count) && text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7f }
    }
}

/// Collects issues for one event, keyed by field path.
private struct Issues {
    private(set) var list: [ValidationIssue] = []
    var isEmpty: Bool { list.isEmpty }

    mutating func add(_ field: String, _ reason: String) {
        list.append(ValidationIssue(field: field, reason: reason))
    }

    func has(_ field: String) -> Bool { list.contains { $0.field == field } }

    /// An optional string field: nil when absent or null; an issue when not a string or when
    /// `rule` refuses it.
    /// `field` is built only for an issue: paths such as `targets[3].id` would otherwise cost
    /// an allocation per field of every valid event.
    mutating func string(_ value: JSONValue?, _ field: @autoclosure () -> String, rule: (String) -> Bool,
                         _ reason: @autoclosure () -> String) -> String? {
        guard let value, !value.isNull else { return nil }
        guard case .string(let text) = value else {
            add(field(), "must be a string, not \(value.kindName)")
            return nil
        }
        guard rule(text) else {
            add(field(), reason())
            return nil
        }
        return text
    }
}

func with<T>(_ value: T, _ change: (inout T) -> Void) -> T {
    var copy = value
    change(&copy)
    return copy
}

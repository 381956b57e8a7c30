/// The JSON form of a stored event: what the API returns and what an NDJSON export holds.
///
/// It carries every hashed field, so an exported line can be turned back into the event and
/// re-hashed offline (`init(json:)`). Absent optional fields are omitted, never `null`, and the
/// text is canonical JSON (sorted keys), so one event always has one serialization.
extension EventContent {
    /// The event as a service posts it (PRODUCT.md's event model); the stored form adds the
    /// ledger's fields to it.
    public var json: JSONObject {
        var object = JSONObject()
        object["account"] = .string(account)
        if let clientID { object["id"] = .string(clientID) }
        object["name"] = .string(name)
        var actorObject: JSONObject = ["id": .string(actor.id)]
        if let name = actor.name { actorObject["name"] = .string(name) }
        if let email = actor.email { actorObject["email"] = .string(email) }
        if let type = actor.type { actorObject["type"] = .string(type.rawValue) }
        object["actor"] = .object(actorObject)
        if let ip { object["ip"] = .string(ip.description) }
        object["occurred_at"] = .string(occurredAt.rfc3339)
        object["targets"] = .array(targets.map { target in
            var item: JSONObject = ["type": .string(target.type), "id": .string(target.id)]
            if let name = target.name { item["name"] = .string(name) }
            return .object(item)
        })
        object["outcome"] = .string(outcome.name)
        if let description { object["description"] = .string(description) }
        if let userAgent { object["user_agent"] = .string(userAgent) }
        if let metadata, let value = try? JSONParser().parse(metadata) { object["metadata"] = value }
        return object
    }
}

extension StoredEvent {
    public var json: JSONValue {
        var object = content.json
        object["seq"] = JSONValue(integer: seq)
        object["account_seq"] = JSONValue(integer: accountSeq)
        object["received_at"] = .string(receivedAt.rfc3339)
        object["geo_status"] = .string(geo.status.name)
        if let location = geo.location { object["geo"] = .object(location.json) }
        object["previous_hash"] = .string(previousHash.description)
        object["hash"] = .string(hash.description)
        return .object(object)
    }

    /// Rebuilds an event from its JSON form and recomputes its hash from the canonical bytes.
    /// The `hash` field is not trusted: callers compare it with the recomputed `hash`.
    public init(json value: JSONValue) throws(EventDecodingError) {
        var fields = FieldReader(value)
        let seq = try fields.unsigned("seq")
        let accountSeq = try fields.unsigned("account_seq")
        let actorFields = try fields.object("actor")
        var actor = FieldReader(.object(actorFields), prefix: "actor.")
        let actorType = try actor.optionalString("type")
        let content = EventContent(
            clientID: try fields.optionalString("id"),
            account: try fields.string("account"),
            name: try fields.string("name"),
            actor: EventActor(
                id: try actor.string("id"), name: try actor.optionalString("name"),
                email: try actor.optionalString("email"),
                type: try actorType.map { text throws(EventDecodingError) in
                    guard let type = ActorType(rawValue: text) else { throw .invalid("actor.type") }
                    return type
                }),
            ip: try fields.optionalString("ip").map { text throws(EventDecodingError) in
                guard let ip = IPAddress(text) else { throw .invalid("ip") }
                return ip
            },
            occurredAt: try fields.timestamp("occurred_at"),
            targets: try fields.array("targets").enumerated().map { index, item throws(EventDecodingError) in
                var target = FieldReader(item, prefix: "targets[\(index)].")
                return EventTarget(type: try target.string("type"), id: try target.string("id"),
                                   name: try target.optionalString("name"))
            },
            outcome: try {  () throws(EventDecodingError) -> Outcome in
                guard let outcome = Outcome(name: try fields.string("outcome")) else { throw .invalid("outcome") }
                return outcome
            }(),
            description: try fields.optionalString("description"),
            userAgent: try fields.optionalString("user_agent"),
            metadata: fields.optional("metadata").map(\.canonicalText))
        guard let status = GeoStatus(name: try fields.string("geo_status")) else { throw .invalid("geo_status") }
        let location = try fields.optional("geo").map { value throws(EventDecodingError) in try GeoLocation(json: value) }
        guard let previousHash = MerkleHash(hex: try fields.string("previous_hash")) else { throw .invalid("previous_hash") }
        self = StoredEvent.seal(seq: seq, accountSeq: accountSeq, receivedAt: try fields.timestamp("received_at"),
                                content: content, geo: GeoResult(status: status, location: location),
                                previousHash: previousHash).event
    }
}

extension GeoLocation {
    public var json: JSONObject {
        var object = JSONObject()
        func put(_ key: String, _ value: String?) { if let value { object[key] = .string(value) } }
        put("country_code", countryCode)
        put("country", country)
        put("subdivision_code", subdivisionCode)
        put("subdivision", subdivision)
        put("city", city)
        put("postal_code", postalCode)
        // Swift prints the shortest text that reads back as the same Double: exports re-hash exactly.
        if let latitude { object["latitude"] = .number("\(latitude)") }
        if let longitude { object["longitude"] = .number("\(longitude)") }
        if let accuracyRadiusKm { object["accuracy_radius_km"] = JSONValue(integer: accuracyRadiusKm) }
        put("time_zone", timeZone)
        put("continent_code", continentCode)
        put("database_type", databaseType)
        if let databaseBuildEpoch { object["database_build_epoch"] = JSONValue(integer: databaseBuildEpoch) }
        return object
    }

    init(json value: JSONValue) throws(EventDecodingError) {
        var fields = FieldReader(value, prefix: "geo.")
        self.init(
            countryCode: try fields.optionalString("country_code"), country: try fields.optionalString("country"),
            subdivisionCode: try fields.optionalString("subdivision_code"),
            subdivision: try fields.optionalString("subdivision"), city: try fields.optionalString("city"),
            postalCode: try fields.optionalString("postal_code"),
            latitude: try fields.optionalDouble("latitude"), longitude: try fields.optionalDouble("longitude"),
            accuracyRadiusKm: try fields.optionalUnsigned("accuracy_radius_km").map { number throws(EventDecodingError) in
                guard let value = UInt32(exactly: number) else { throw .invalid("geo.accuracy_radius_km") }
                return value
            },
            timeZone: try fields.optionalString("time_zone"), continentCode: try fields.optionalString("continent_code"),
            databaseType: try fields.optionalString("database_type"),
            databaseBuildEpoch: try fields.optionalUnsigned("database_build_epoch"))
    }
}

/// Why an exported event could not be read back.
public enum EventDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    case missing(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .missing(let field): "missing field \(field)"
        case .invalid(let field): "invalid field \(field)"
        }
    }
}

/// Typed access to an exported event's fields, with the field path in every error.
private struct FieldReader {
    let object: JSONObject?
    let prefix: String

    init(_ value: JSONValue, prefix: String = "") {
        self.object = value.objectValue
        self.prefix = prefix
    }

    func optional(_ key: String) -> JSONValue? {
        guard let value = object?[key], !value.isNull else { return nil }
        return value
    }

    func required(_ key: String) throws(EventDecodingError) -> JSONValue {
        guard let value = optional(key) else { throw .missing(prefix + key) }
        return value
    }

    func string(_ key: String) throws(EventDecodingError) -> String {
        guard let text = try required(key).stringValue else { throw .invalid(prefix + key) }
        return text
    }

    func optionalString(_ key: String) throws(EventDecodingError) -> String? {
        guard let value = optional(key) else { return nil }
        guard let text = value.stringValue else { throw .invalid(prefix + key) }
        return text
    }

    func unsigned(_ key: String) throws(EventDecodingError) -> UInt64 {
        guard let lexeme = try required(key).numberLexeme, let number = UInt64(lexeme) else { throw .invalid(prefix + key) }
        return number
    }

    func optionalUnsigned(_ key: String) throws(EventDecodingError) -> UInt64? {
        guard optional(key) != nil else { return nil }
        return try unsigned(key)
    }

    func optionalDouble(_ key: String) throws(EventDecodingError) -> Double? {
        guard let value = optional(key) else { return nil }
        guard let number = value.doubleValue else { throw .invalid(prefix + key) }
        return number
    }

    func timestamp(_ key: String) throws(EventDecodingError) -> Timestamp {
        guard let time = Timestamp(rfc3339: try string(key)) else { throw .invalid(prefix + key) }
        return time
    }

    func object(_ key: String) throws(EventDecodingError) -> JSONObject {
        guard let object = try required(key).objectValue else { throw .invalid(prefix + key) }
        return object
    }

    func array(_ key: String) throws(EventDecodingError) -> [JSONValue] {
        guard let items = try required(key).arrayValue else { throw .invalid(prefix + key) }
        return items
    }
}

/// The CSV form of a stored event, for exports a compliance team opens in a spreadsheet.
///
/// Every hashed field has a column (nested ones as canonical JSON), so that a CSV export can
/// be re-hashed offline like an NDJSON one: a row is read back through the JSON form.
/// `country_code` and `city` repeat what `geo` holds, for people; readers check they agree.
extension StoredEvent {
    public static let csvColumns = [
        "seq", "account_seq", "account", "id", "name", "actor_id", "actor_name", "actor_email", "actor_type",
        "ip", "occurred_at", "received_at", "outcome", "description", "user_agent", "targets", "metadata",
        "geo_status", "country_code", "city", "geo", "previous_hash", "hash",
    ]

    /// The row's cells in `csvColumns` order; absent values are empty cells.
    public var csvCells: [String] {
        let json = self.json
        func text(_ key: String) -> String { json[key]?.stringValue ?? "" }
        func actor(_ key: String) -> String { json["actor"]?[key]?.stringValue ?? "" }
        return [
            String(seq), String(accountSeq), content.account, content.clientID ?? "", content.name,
            content.actor.id, actor("name"), actor("email"), actor("type"),
            text("ip"), text("occurred_at"), text("received_at"), text("outcome"),
            text("description"), text("user_agent"),
            json["targets"]?.canonicalText ?? "[]", json["metadata"]?.canonicalText ?? "",
            text("geo_status"), geo.location?.countryCode ?? "", geo.location?.city ?? "",
            json["geo"]?.canonicalText ?? "", text("previous_hash"), text("hash"),
        ]
    }

    /// Rebuilds an event from a CSV row (cells in `csvColumns` order) and recomputes its hash.
    public init(csvCells cells: [String]) throws(EventDecodingError) {
        guard cells.count == Self.csvColumns.count else { throw .invalid("row has \(cells.count) cells, expected \(Self.csvColumns.count)") }
        var cell: [String: String] = [:]
        for (column, value) in zip(Self.csvColumns, cells) where !value.isEmpty { cell[column] = value }
        func number(_ key: String) throws(EventDecodingError) -> JSONValue {
            guard let text = cell[key], UInt64(text) != nil else { throw .invalid(key) }
            return .number(text)
        }
        func nested(_ key: String) throws(EventDecodingError) -> JSONValue? {
            guard let text = cell[key] else { return nil }
            guard let value = try? JSONParser().parse(text) else { throw .invalid(key) }
            return value
        }
        var object = JSONObject()
        object["seq"] = try number("seq")
        object["account_seq"] = try number("account_seq")
        for key in ["account", "id", "name", "ip", "occurred_at", "received_at", "outcome", "description",
                    "user_agent", "geo_status", "previous_hash", "hash"] {
            if let value = cell[key] { object[key] = .string(value) }
        }
        var actor = JSONObject()
        for (column, key) in [("actor_id", "id"), ("actor_name", "name"), ("actor_email", "email"), ("actor_type", "type")] {
            if let value = cell[column] { actor[key] = .string(value) }
        }
        object["actor"] = .object(actor)
        object["targets"] = try nested("targets") ?? .array([])
        object["metadata"] = try nested("metadata")
        object["geo"] = try nested("geo")
        try self.init(json: .object(object))
        guard (cell["country_code"] ?? nil) == geo.location?.countryCode, (cell["city"] ?? nil) == geo.location?.city else {
            throw .invalid("country_code/city differ from geo")
        }
    }
}

import LedgerCore

/// The CSV form of stored events: one header row, then one row per event with every hashed
/// field, so a CSV export can be turned back into the events and re-hashed like an NDJSON one.
///
/// Each cell is the text the event's JSON form (`StoredEvent.json`) holds at that place:
/// strings as they are, numbers as their JSON lexeme, `targets` and `metadata` as canonical
/// JSON, an absent field as an empty cell. Sharing the JSON form's texts means the two export
/// formats cannot drift apart. Public for `auditledger export`, which writes the same rows.
public enum EventCSV {
    /// Column name and its path in the JSON form.
    static let columns: [(name: String, path: [String])] = [
        ("seq", ["seq"]), ("account_seq", ["account_seq"]), ("account", ["account"]), ("id", ["id"]),
        ("name", ["name"]),
        ("actor_id", ["actor", "id"]), ("actor_name", ["actor", "name"]), ("actor_email", ["actor", "email"]),
        ("actor_type", ["actor", "type"]),
        ("ip", ["ip"]), ("occurred_at", ["occurred_at"]), ("received_at", ["received_at"]),
        ("targets", ["targets"]), ("outcome", ["outcome"]), ("description", ["description"]),
        ("user_agent", ["user_agent"]), ("metadata", ["metadata"]), ("geo_status", ["geo_status"]),
        ("geo_country_code", ["geo", "country_code"]), ("geo_country", ["geo", "country"]),
        ("geo_subdivision_code", ["geo", "subdivision_code"]), ("geo_subdivision", ["geo", "subdivision"]),
        ("geo_city", ["geo", "city"]), ("geo_postal_code", ["geo", "postal_code"]),
        ("geo_latitude", ["geo", "latitude"]), ("geo_longitude", ["geo", "longitude"]),
        ("geo_accuracy_radius_km", ["geo", "accuracy_radius_km"]), ("geo_time_zone", ["geo", "time_zone"]),
        ("geo_continent_code", ["geo", "continent_code"]), ("geo_database_type", ["geo", "database_type"]),
        ("geo_database_build_epoch", ["geo", "database_build_epoch"]),
        ("previous_hash", ["previous_hash"]), ("hash", ["hash"]),
    ]

    public static var header: [String] { columns.map(\.name) }

    public static func fields(of event: StoredEvent) -> [String] {
        let json = event.json
        return columns.map { column in
            var value: JSONValue? = json
            for key in column.path { value = value?[key] }
            return cell(value)
        }
    }

    /// Appends the header row, for streaming writers.
    public static func appendHeader(to bytes: inout [UInt8], writer: CSVWriter = CSVWriter()) {
        writer.appendRow(header, to: &bytes)
    }

    /// Appends one event's row, for streaming writers.
    public static func appendRow(_ event: StoredEvent, to bytes: inout [UInt8], writer: CSVWriter = CSVWriter()) {
        writer.appendRow(fields(of: event), to: &bytes)
    }

    private static func cell(_ value: JSONValue?) -> String {
        guard let value, !value.isNull else { return "" }
        if let text = value.stringValue { return text }
        if let lexeme = value.numberLexeme { return lexeme }
        return value.canonicalText
    }
}

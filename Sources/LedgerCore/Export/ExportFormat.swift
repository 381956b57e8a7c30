/// The two verifiable export formats: both carry every hashed field, so each row can be
/// turned back into its event and re-hashed.
public enum ExportFormat: String, Hashable, Sendable, CaseIterable {
    /// One canonical JSON event per line (`StoredEvent.json`), each line ending in LF.
    case ndjson
    /// RFC 4180 CSV with the `StoredEvent.csvColumns` header, rows ending in CRLF.
    case csv
}

import CSQLite
import Foundation
import LedgerCore

/// The body a service would POST for this event (PRODUCT.md's event model).
func requestJSON(_ content: EventContent) -> JSONValue {
    .object(content.json)
}

/// The ledger's rows as PostgreSQL COPY text (tab-separated, `\N` for NULL): the same columns,
/// canonical bytes and full-text document the store holds, so the peer loads identical data.
/// `out` "-" writes to standard output, for a pipe straight into the peer (10M rows are ~30 GB of text).
func writePostgresRows(database path: String, to out: String) throws {
    let database = try RawDatabase(path: path)
    var statement: OpaquePointer?
    guard sqlite3_prepare_v2(database.handle, "SELECT canonical FROM events ORDER BY seq", -1, &statement, nil) == SQLITE_OK else {
        throw BenchError("cannot read \(path)")
    }
    defer { sqlite3_finalize(statement) }
    let file: FileHandle
    if out == "-" {
        file = FileHandle.standardOutput
    } else {
        FileManager.default.createFile(atPath: out, contents: nil)
        file = FileHandle(forWritingAtPath: out)!
    }
    var text = ""
    func field(_ value: String?) -> String {
        guard let value else { return "\\N" }
        precondition(!value.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\\" }), "unexpected character in \(value)")
        return value
    }
    while sqlite3_step(statement) == SQLITE_ROW {
        let bytes = Array(UnsafeRawBufferPointer(start: sqlite3_column_blob(statement, 0), count: Int(sqlite3_column_bytes(statement, 0))))
        let event = try CanonicalEncoding.decode(bytes)
        let content = event.content
        let columns: [String] = [
            String(event.seq), field(content.account), String(event.accountSeq), field(content.clientID), field(content.name),
            field(content.actor.id), String(content.occurredAt.microseconds), String(event.receivedAt.microseconds),
            String(content.outcome.rawValue), field(content.ip?.description), field(event.geo.location?.countryCode),
            field(event.geo.location?.city), "\\\\x" + event.hash.description, "\\\\x" + hexText(bytes),
            field(FullText.document(for: content)),
        ]
        text += columns.joined(separator: "\t") + "\n"
        if text.utf8.count > 1 << 20 {
            file.write(text.data(using: .utf8)!)
            text = ""
        }
    }
    file.write(text.data(using: .utf8)!)
    if out != "-" { file.closeFile() }
}

private let hexDigits = Array("0123456789abcdef".utf8)

/// Lower-case hex, built byte by byte: `String(format:)` per byte made this export take minutes.
func hexText(_ bytes: [UInt8]) -> String {
    var text = [UInt8](repeating: 0, count: bytes.count * 2)
    for (index, byte) in bytes.enumerated() {
        text[2 * index] = hexDigits[Int(byte >> 4)]
        text[2 * index + 1] = hexDigits[Int(byte & 0x0f)]
    }
    return String(decoding: text, as: UTF8.self)
}

/// Writes CSV per RFC 4180, for exports and `search --output csv`.
///
/// - Fields are quoted only when they contain a comma, a double quote, CR or LF; a double
///   quote inside a quoted field is doubled. Other fields are written as they are, so the
///   output is deterministic and an export can be re-hashed byte for byte.
/// - Fields are separated by `,` and every row, the last included, ends with CRLF (`\r\n`),
///   as RFC 4180 specifies; spreadsheet tools and the `csv` modules of common languages read it.
/// - Formula neutralisation (off by default): spreadsheets execute a cell starting with `=`,
///   `+`, `-` or `@` (and, per OWASP, TAB or CR) as a formula, which makes attacker-chosen
///   event text dangerous in an export opened in Excel. With `neutralizesFormulas` on, such a
///   field is prefixed with `'`, which spreadsheets display as text. This changes the data
///   (`-5` becomes `'-5`), so it is for human-facing downloads, never for verifiable exports.
public struct CSVWriter: Sendable {
    /// The row terminator: CRLF, per RFC 4180.
    public static let lineTerminator = "\r\n"

    /// Whether fields that a spreadsheet would run as a formula get a leading `'`.
    public var neutralizesFormulas: Bool

    public init(neutralizesFormulas: Bool = false) {
        self.neutralizesFormulas = neutralizesFormulas
    }

    /// One field, quoted and escaped as it would appear in a row.
    public func field(_ value: String) -> String {
        var bytes: [UInt8] = []
        appendField(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One row: the fields separated by commas, then CRLF.
    public func row(_ fields: some Sequence<String>) -> String {
        var bytes: [UInt8] = []
        appendRow(fields, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends one row (fields, commas, CRLF) to a byte buffer, for streaming exports.
    public func appendRow(_ fields: some Sequence<String>, to bytes: inout [UInt8]) {
        var isFirst = true
        for value in fields {
            if !isFirst { bytes.append(UInt8(ascii: ",")) }
            isFirst = false
            appendField(value, to: &bytes)
        }
        bytes.append(contentsOf: Self.lineTerminator.utf8)
    }

    private func appendField(_ value: String, to bytes: inout [UInt8]) {
        let utf8 = value.utf8
        let prefix: UInt8? = neutralizesFormulas && utf8.first.map(Self.formulaTriggers.contains) == true
            ? UInt8(ascii: "'") : nil
        let needsQuotes = utf8.contains { Self.quotingTriggers.contains($0) }
        if needsQuotes { bytes.append(UInt8(ascii: "\"")) }
        if let prefix { bytes.append(prefix) }
        for byte in utf8 {
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
            bytes.append(byte)
        }
        if needsQuotes { bytes.append(UInt8(ascii: "\"")) }
    }

    private static let quotingTriggers: Set<UInt8> = [
        UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "\r"), UInt8(ascii: "\n"),
    ]
    private static let formulaTriggers: Set<UInt8> = [
        UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"),
        UInt8(ascii: "\t"), UInt8(ascii: "\r"),
    ]
}

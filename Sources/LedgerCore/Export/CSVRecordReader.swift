/// Reads RFC 4180 CSV incrementally: bytes in, whole records out, so a large export is
/// checked in constant memory.
///
/// Strict where leniency could hide an edit: a quote may only open a field or, doubled, stand
/// for itself inside a quoted field; after a closing quote only a comma or the end of the
/// record may follow; a CR outside quotes must be part of CRLF. Records end in CRLF (what
/// `CSVWriter` writes) or LF; the last record may lack a terminator. Fields must be UTF-8.
public struct CSVRecordReader: Sendable {
    public struct Malformed: Error, Hashable, Sendable, CustomStringConvertible {
        /// 1-based record number (the header is record 1).
        public var record: Int
        public var reason: String
        public var description: String { "CSV record \(record): \(reason)" }
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted, carriageReturn }

    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var record: [String] = []
    private var recordsDone = 0

    public init() {}

    /// Consumes `bytes`, appending the records they complete to `records` (those before a
    /// malformed one are kept, so the caller can still number it).
    public mutating func feed(_ bytes: some Sequence<UInt8>, into records: inout [[String]]) throws(Malformed) {
        for byte in bytes {
            switch state {
            case .fieldStart where byte == UInt8(ascii: "\""):
                state = .quoted
            case .fieldStart, .unquoted:
                switch byte {
                case UInt8(ascii: ","): try endField()
                case UInt8(ascii: "\r"): state = .carriageReturn
                case UInt8(ascii: "\n"): records.append(try endRecord())
                case UInt8(ascii: "\""): throw malformed("a quote inside an unquoted field")
                default:
                    field.append(byte)
                    state = .unquoted
                }
            case .quoted:
                if byte == UInt8(ascii: "\"") { state = .quoteInQuoted } else { field.append(byte) }
            case .quoteInQuoted:
                switch byte {
                case UInt8(ascii: "\""):
                    field.append(byte)
                    state = .quoted
                case UInt8(ascii: ","): try endField()
                case UInt8(ascii: "\r"): state = .carriageReturn
                case UInt8(ascii: "\n"): records.append(try endRecord())
                default: throw malformed("text after a closing quote")
                }
            case .carriageReturn:
                guard byte == UInt8(ascii: "\n") else { throw malformed("a carriage return that does not end the record") }
                records.append(try endRecord())
            }
        }
    }

    /// The last record when the input does not end with a terminator.
    public mutating func finish() throws(Malformed) -> [String]? {
        switch state {
        case .quoted: throw malformed("a quoted field is not closed")
        case .carriageReturn: throw malformed("the input ends in a carriage return")
        case .fieldStart where record.isEmpty && field.isEmpty: return nil
        default: return try endRecord()
        }
    }

    private mutating func endField() throws(Malformed) {
        guard let text = String(validating: field, as: UTF8.self) else { throw malformed("a field is not valid UTF-8") }
        record.append(text)
        field.removeAll(keepingCapacity: true)
        state = .fieldStart
    }

    private mutating func endRecord() throws(Malformed) -> [String] {
        try endField()
        defer {
            record.removeAll(keepingCapacity: true)
            recordsDone += 1
        }
        return record
    }

    private func malformed(_ reason: String) -> Malformed {
        Malformed(record: recordsDone + 1, reason: reason)
    }
}

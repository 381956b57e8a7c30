/// The canonical JSON text of a value.
///
/// This text is hashed into the tamper-evident ledger: every event ever stored must
/// re-encode to the same bytes forever, so these rules must never change (a new encoding
/// needs a new ledger format version). `JSONCanonicalTests` pins them byte for byte.
///
/// 1. No whitespace anywhere.
/// 2. Object members sorted by key, comparing the keys' UTF-8 bytes (which is Unicode code
///    point order); keys are unique, so the order is total.
/// 3. Arrays keep their order.
/// 4. `null`, `true`, `false` as such.
/// 5. Numbers as their original lexeme, unchanged (`1.50`, `-0`, `1E400` stay as written).
/// 6. Strings in double quotes, escaped minimally: `"` → `\"`, `\` → `\\`, U+0008 → `\b`,
///    U+000C → `\f`, U+000A → `\n`, U+000D → `\r`, U+0009 → `\t`, every other U+0000–U+001F
///    → `\u00xx` with lowercase hex; everything else, including `/`, U+007F and all non-ASCII,
///    as literal UTF-8. Strings are not Unicode-normalised: their bytes are kept.
///
/// This is RFC 8785 (JCS) for keys, strings and structure, except that numbers keep their
/// lexeme instead of being re-serialised from a double.
extension JSONValue {
    /// The canonical text as UTF-8 bytes.
    public var canonicalBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        appendCanonical(to: &bytes)
        return bytes
    }

    /// The canonical text.
    public var canonicalText: String {
        String(decoding: canonicalBytes, as: UTF8.self)
    }

    /// The length in bytes of `canonicalBytes`, computed without building them (for size limits
    /// such as metadata's 16 KiB).
    public var serializedByteCount: Int {
        switch self {
        case .null: 4
        case .bool(let value): value ? 4 : 5
        case .number(let lexeme): lexeme.utf8.count
        case .string(let text): Self.escapedByteCount(text)
        case .array(let elements):
            // Brackets, plus a comma between each pair of elements.
            elements.reduce(1 + max(elements.count, 1)) { $0 + $1.serializedByteCount }
        case .object(let object):
            // Braces, a comma between members, a colon in each.
            object.members.reduce(1 + max(object.count, 1) + object.count) {
                $0 + Self.escapedByteCount($1.key) + $1.value.serializedByteCount
            }
        }
    }

    /// Appends the canonical text to `bytes`, for writers that build one buffer for many values.
    public func appendCanonical(to bytes: inout [UInt8]) {
        switch self {
        case .null:
            bytes.append(contentsOf: "null".utf8)
        case .bool(let value):
            bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
        case .number(let lexeme):
            bytes.append(contentsOf: lexeme.utf8)
        case .string(let text):
            Self.appendEscaped(text, to: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                element.appendCanonical(to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for (position, member) in object.membersSortedByKey.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                Self.appendEscaped(member.key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                member.value.appendCanonical(to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `text` as a canonical JSON string (rule 6), quotes included.
    ///
    /// Copies each run of bytes that needs no escape in one go: nearly every string is one
    /// such run, and a byte-at-a-time append was the largest cost of encoding metadata.
    public static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for (offset, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<offset]))
                appendEscape(for: byte, to: &bytes)
                runStart = offset + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The escape sequence of one byte that rule 6 escapes.
    private static func appendEscape(for byte: UInt8, to bytes: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"):
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(byte)
        case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
        case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
        case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
        case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
        case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
        default:
            bytes.append(contentsOf: #"\u00"#.utf8)
            bytes.append(lowercaseHexDigits[Int(byte >> 4)])
            bytes.append(lowercaseHexDigits[Int(byte & 0x0F)])
        }
    }

    /// The length of `appendEscaped(text)`'s output.
    static func escapedByteCount(_ text: String) -> Int {
        var count = 2
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x08, 0x0C, 0x0A, 0x0D, 0x09: count += 2
            case 0..<0x20: count += 6
            default: count += 1
            }
        }
        return count
    }
}

private let lowercaseHexDigits = Array("0123456789abcdef".utf8)

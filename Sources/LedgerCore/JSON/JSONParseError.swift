/// Why `JSONParser` rejected its input, and where.
///
/// `description` is a sentence fit for an API error's `message`:
/// `invalid UTF-8 at byte 17`, `duplicate key "name" at byte 40`.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What a parser position wanted when it met something else.
    public enum Expectation: Hashable, Sendable {
        case value
        case objectKey
        case colon
        case commaOrEndOfArray
        case commaOrEndOfObject
        case endOfInput

        var phrase: String {
            switch self {
            case .value: "a value"
            case .objectKey: "a string key"
            case .colon: "':'"
            case .commaOrEndOfArray: "',' or ']'"
            case .commaOrEndOfObject: "',' or '}'"
            case .endOfInput: "end of input"
            }
        }
    }

    /// What was wrong; switch on it to map errors to API codes, show `description` to people.
    public enum Reason: Hashable, Sendable {
        case emptyInput
        case inputTooLarge(limit: Int)
        case nestingTooDeep(limit: Int)
        case unexpectedEndOfInput(expected: Expectation)
        case unexpectedByte(UInt8, expected: Expectation)
        /// RFC 8259 forbids a byte order mark in JSON text.
        case byteOrderMark
        case commentsNotAllowed
        case trailingComma
        /// `tru`, `nul`, `falsey`…
        case invalidLiteral
        case leadingZero
        /// A sign, decimal point or exponent not followed by a digit.
        case digitExpected
        case unterminatedString
        case invalidUTF8
        /// A raw byte 0x00–0x1F inside a string; it must be escaped.
        case unescapedControlCharacter(UInt8)
        case invalidEscape(UInt8)
        case invalidUnicodeEscape
        /// A `\uD800`–`\uDFFF` escape that is not a high surrogate followed by a low one.
        case unpairedSurrogate
        /// `\u0000` while `JSONParser.Options.allowsNUL` is off.
        case nulCharacter
        case duplicateKey(String)

        var phrase: String {
            switch self {
            case .emptyInput: "empty input"
            case .inputTooLarge(let limit): "input larger than \(limit) bytes"
            case .nestingTooDeep(let limit): "nesting deeper than \(limit)"
            case .unexpectedEndOfInput(let expected): "unexpected end of input, expected \(expected.phrase)"
            case .unexpectedByte(let byte, let expected): "unexpected \(Self.describe(byte)), expected \(expected.phrase)"
            case .byteOrderMark: "byte order mark not allowed"
            case .commentsNotAllowed: "comments are not allowed"
            case .trailingComma: "trailing comma"
            case .invalidLiteral: "invalid literal"
            case .leadingZero: "leading zero in number"
            case .digitExpected: "digit expected in number"
            case .unterminatedString: "unterminated string"
            case .invalidUTF8: "invalid UTF-8"
            case .unescapedControlCharacter(let byte): "unescaped control character \(Self.hex(byte)) in string"
            case .invalidEscape(let byte): "invalid escape \\\(Self.describe(byte, quoted: false)) in string"
            case .invalidUnicodeEscape: "invalid \\u escape, expected 4 hex digits"
            case .unpairedSurrogate: "unpaired surrogate in \\u escape"
            case .nulCharacter: "NUL character (\\u0000) in string"
            case .duplicateKey(let key): "duplicate key \(Self.quoted(key))"
            }
        }

        private static func describe(_ byte: UInt8, quoted: Bool = true) -> String {
            guard (0x21...0x7E).contains(byte) else { return "byte \(hex(byte))" }
            let character = String(UnicodeScalar(byte))
            return quoted ? "'\(character)'" : character
        }

        private static func hex(_ byte: UInt8) -> String {
            let digits = String(byte, radix: 16)
            return "0x" + (digits.count == 1 ? "0" + digits : digits)
        }

        /// The key in double quotes, cut short so a hostile key cannot bloat the error.
        private static func quoted(_ key: String) -> String {
            let limit = 64
            return key.count > limit ? "\"\(key.prefix(limit))…\"" : "\"\(key)\""
        }
    }

    /// What was wrong.
    public var reason: Reason
    /// Zero-based offset of the offending byte from the start of the input.
    public var offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String { "\(reason.phrase) at byte \(offset)" }
}

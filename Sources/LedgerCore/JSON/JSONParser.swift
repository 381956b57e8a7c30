/// A strict RFC 8259 parser from UTF-8 bytes to `JSONValue`, for untrusted input on the ingest path.
///
/// Accepts exactly one JSON value with optional surrounding whitespace (space, tab, LF, CR).
/// Rejects, with a `JSONParseError` carrying the byte offset: invalid UTF-8 (overlong forms,
/// UTF-8-encoded surrogates, code points above U+10FFFF, truncated sequences), a byte order
/// mark, raw control characters in strings, invalid escapes and unpaired surrogate escapes,
/// `\u0000` unless `allowsNUL`, numbers with leading zeros or missing digits, `NaN` and
/// `Infinity`, comments, trailing commas, duplicate keys within one object, nesting deeper than
/// `maxDepth` and input longer than `maxBytes`.
///
/// The parser is iterative: nesting depth costs heap, never stack, and the depth limit is
/// checked before a container is opened, so hostile input (100,000 `[`) fails fast.
/// Strings without escapes are copied straight from the input after validation.
public struct JSONParser: Sendable {
    /// The largest request body the HTTP API accepts (a batch of ≤ 1,000 events).
    public static let defaultMaxBytes = 5 * 1024 * 1024
    public static let defaultMaxDepth = 64

    /// The most arrays and objects a value may sit inside: `[]` has depth 1, `[[1]]` depth 2,
    /// a bare scalar depth 0.
    public var maxDepth: Int
    /// Inputs with more bytes than this are rejected before any parsing.
    public var maxBytes: Int
    /// Whether `\u0000` may appear in strings. Off by default: NUL truncates strings in C
    /// libraries and log viewers, so it is a classic way to hide text. A raw 0x00 byte is never
    /// allowed, being a control character.
    public var allowsNUL: Bool

    public init(maxDepth: Int = defaultMaxDepth, maxBytes: Int = defaultMaxBytes, allowsNUL: Bool = false) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
        self.allowsNUL = allowsNUL
    }

    /// Parses one JSON text. Error offsets count from `bytes.baseAddress`.
    public func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        let typed = UnsafeBufferPointer(
            start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        var scanner = JSONScanner(bytes: typed, options: self)
        return try scanner.parseDocument()
    }

    /// Parses one JSON text. Error offsets count from the first byte of the array.
    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try parse(buffer) }
        }.get()
    }

    /// Parses one JSON text. Error offsets count from the slice's first byte, not from its
    /// `startIndex`, so they point into the line or body the caller reports on.
    public func parse(_ bytes: ArraySlice<UInt8>) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try parse(buffer) }
        }.get()
    }

    /// Parses one JSON text from a string's UTF-8 (always valid, so only JSON errors remain).
    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        let contiguous = text.utf8.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) in try parse(UnsafeRawBufferPointer(buffer)) }
        }
        return try (contiguous ?? Result { () throws(JSONParseError) in try parse(Array(text.utf8)) }).get()
    }
}

private enum JSONByte {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
}

private struct JSONScanner {
    private enum Container { case array, object }

    let bytes: UnsafeBufferPointer<UInt8>
    let options: JSONParser
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>, options: JSONParser) {
        self.bytes = bytes
        self.options = options
    }

    private var end: Int { bytes.count }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        guard end <= options.maxBytes else {
            throw JSONParseError(.inputTooLarge(limit: options.maxBytes), at: options.maxBytes)
        }
        guard end > 0 else { throw JSONParseError(.emptyInput, at: 0) }
        skipWhitespace()

        // Open containers, innermost last; `arrays`, `objects` and `keys` hold the partial
        // contents of the open arrays, the open objects and the key each object is parsing.
        var containers: [Container] = []
        var arrays: [[JSONValue]] = []
        var objects: [JSONObject] = []
        var keys: [String] = []

        nextValue: while true {
            guard position < end else { throw unexpectedEnd(expected: .value) }
            var value: JSONValue
            switch bytes[position] {
            case JSONByte.openBracket:
                try checkDepth(containers.count)
                position += 1
                skipWhitespace()
                if isAt(JSONByte.closeBracket) {
                    position += 1
                    value = .array([])
                } else {
                    containers.append(.array)
                    arrays.append([])
                    continue nextValue
                }
            case JSONByte.openBrace:
                try checkDepth(containers.count)
                position += 1
                skipWhitespace()
                if isAt(JSONByte.closeBrace) {
                    position += 1
                    value = .object(JSONObject())
                } else {
                    let empty = JSONObject()
                    keys.append(try parseKey(in: empty))
                    containers.append(.object)
                    objects.append(empty)
                    continue nextValue
                }
            case JSONByte.quote:
                value = .string(try parseString())
            case JSONByte.minus, JSONByte.zero...JSONByte.nine:
                value = .number(try parseNumber())
            case UInt8(ascii: "t"):
                try parseLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try parseLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try parseLiteral("null")
                value = .null
            default:
                throw unexpected(expected: .value)
            }

            // A value is complete: add it to the innermost container, closing as many as end here.
            while let container = containers.last {
                skipWhitespace()
                switch container {
                case .array:
                    arrays[arrays.count - 1].append(value)
                    guard position < end else { throw unexpectedEnd(expected: .commaOrEndOfArray) }
                    if bytes[position] == JSONByte.comma {
                        try skipComma(beforeClosing: JSONByte.closeBracket)
                        continue nextValue
                    }
                    guard bytes[position] == JSONByte.closeBracket else { throw unexpected(expected: .commaOrEndOfArray) }
                    position += 1
                    containers.removeLast()
                    value = .array(arrays.removeLast())
                case .object:
                    objects[objects.count - 1].appendNewMember(key: keys.removeLast(), value: value)
                    guard position < end else { throw unexpectedEnd(expected: .commaOrEndOfObject) }
                    if bytes[position] == JSONByte.comma {
                        try skipComma(beforeClosing: JSONByte.closeBrace)
                        keys.append(try parseKey(in: objects[objects.count - 1]))
                        continue nextValue
                    }
                    guard bytes[position] == JSONByte.closeBrace else { throw unexpected(expected: .commaOrEndOfObject) }
                    position += 1
                    containers.removeLast()
                    value = .object(objects.removeLast())
                }
            }
            skipWhitespace()
            guard position == end else { throw unexpected(expected: .endOfInput) }
            return value
        }
    }

    // MARK: Structure

    private mutating func skipWhitespace() {
        while position < end {
            switch bytes[position] {
            case JSONByte.space, JSONByte.lineFeed, JSONByte.carriageReturn, JSONByte.tab: position += 1
            default: return
            }
        }
    }

    private func isAt(_ byte: UInt8) -> Bool {
        position < end && bytes[position] == byte
    }

    private func checkDepth(_ openContainers: Int) throws(JSONParseError) {
        guard openContainers < options.maxDepth else {
            throw JSONParseError(.nestingTooDeep(limit: options.maxDepth), at: position)
        }
    }

    /// Steps over a comma and the whitespace after it, rejecting `,]` and `,}`.
    private mutating func skipComma(beforeClosing closing: UInt8) throws(JSONParseError) {
        let commaOffset = position
        position += 1
        skipWhitespace()
        if isAt(closing) { throw JSONParseError(.trailingComma, at: commaOffset) }
    }

    /// Parses `"key" :` and the whitespace after it, rejecting a key already in `object`.
    private mutating func parseKey(in object: JSONObject) throws(JSONParseError) -> String {
        guard position < end else { throw unexpectedEnd(expected: .objectKey) }
        guard bytes[position] == JSONByte.quote else { throw unexpected(expected: .objectKey) }
        let keyOffset = position
        let key = try parseString()
        if object.containsKey(key) { throw JSONParseError(.duplicateKey(key), at: keyOffset) }
        skipWhitespace()
        guard position < end else { throw unexpectedEnd(expected: .colon) }
        guard bytes[position] == JSONByte.colon else { throw unexpected(expected: .colon) }
        position += 1
        skipWhitespace()
        return key
    }

    private mutating func parseLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        let matches = position + count <= end
            && UnsafeBufferPointer(start: literal.utf8Start, count: count)
                .elementsEqual(bytes[position..<(position + count)])
        guard matches else { throw JSONParseError(.invalidLiteral, at: position) }
        position += count
    }

    private func unexpectedEnd(expected: JSONParseError.Expectation) -> JSONParseError {
        JSONParseError(.unexpectedEndOfInput(expected: expected), at: position)
    }

    /// The error for the byte at `position`, naming comments and byte order marks, the two
    /// non-JSON things clients most often send by mistake.
    private func unexpected(expected: JSONParseError.Expectation) -> JSONParseError {
        let byte = bytes[position]
        if byte == JSONByte.slash { return JSONParseError(.commentsNotAllowed, at: position) }
        if byte == 0xEF && position + 2 < end && bytes[position + 1] == 0xBB && bytes[position + 2] == 0xBF {
            return JSONParseError(.byteOrderMark, at: position)
        }
        return JSONParseError(.unexpectedByte(byte, expected: expected), at: position)
    }

    // MARK: Numbers

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= JSONByte.zero && byte <= JSONByte.nine
    }

    /// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`, returned as written.
    private mutating func parseNumber() throws(JSONParseError) -> String {
        let start = position
        var index = position
        if bytes[index] == JSONByte.minus { index += 1 }
        guard index < end, Self.isDigit(bytes[index]) else { throw JSONParseError(.digitExpected, at: index) }
        if bytes[index] == JSONByte.zero {
            index += 1
            if index < end && Self.isDigit(bytes[index]) { throw JSONParseError(.leadingZero, at: index - 1) }
        } else {
            index = skipDigits(from: index)
        }
        if index < end && bytes[index] == JSONByte.dot {
            index = try requireDigits(from: index + 1)
        }
        if index < end && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < end && (bytes[index] == JSONByte.plus || bytes[index] == JSONByte.minus) { index += 1 }
            index = try requireDigits(from: index)
        }
        position = index
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private func skipDigits(from start: Int) -> Int {
        var index = start
        while index < end && Self.isDigit(bytes[index]) { index += 1 }
        return index
    }

    private func requireDigits(from start: Int) throws(JSONParseError) -> Int {
        guard start < end, Self.isDigit(bytes[start]) else { throw JSONParseError(.digitExpected, at: start) }
        return skipDigits(from: start + 1)
    }

    // MARK: Strings

    /// Parses the string whose opening quote is at `position`. The common case, no escapes,
    /// validates in place and copies once.
    private mutating func parseString() throws(JSONParseError) -> String {
        let openingQuote = position
        var index = position + 1
        while index < end {
            let byte = bytes[index]
            if byte == JSONByte.quote {
                position = index + 1
                return String(
                    decoding: UnsafeBufferPointer(rebasing: bytes[(openingQuote + 1)..<index]), as: UTF8.self)
            }
            if byte == JSONByte.backslash {
                return try parseEscapedString(openingQuote: openingQuote, firstEscape: index)
            }
            index = try stepOverCharacter(byte, at: index)
        }
        throw JSONParseError(.unterminatedString, at: openingQuote)
    }

    private mutating func parseEscapedString(openingQuote: Int, firstEscape: Int) throws(JSONParseError) -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(firstEscape - openingQuote + 16)
        decoded.append(contentsOf: bytes[(openingQuote + 1)..<firstEscape])
        var index = firstEscape
        while index < end {
            let byte = bytes[index]
            if byte == JSONByte.quote {
                position = index + 1
                return String(decoding: decoded, as: UTF8.self)
            }
            if byte == JSONByte.backslash {
                index = try decodeEscape(at: index, openingQuote: openingQuote, into: &decoded)
            } else {
                let next = try stepOverCharacter(byte, at: index)
                decoded.append(contentsOf: bytes[index..<next])
                index = next
            }
        }
        throw JSONParseError(.unterminatedString, at: openingQuote)
    }

    /// Validates the unescaped character starting with `byte` at `index` and returns the index after it.
    private func stepOverCharacter(_ byte: UInt8, at index: Int) throws(JSONParseError) -> Int {
        if byte >= 0x80 { return try validateUTF8Sequence(at: index) }
        if byte < 0x20 { throw JSONParseError(.unescapedControlCharacter(byte), at: index) }
        return index + 1
    }

    /// Checks one multi-byte UTF-8 sequence against RFC 3629's table of well-formed sequences
    /// (which excludes overlongs, surrogates and code points past U+10FFFF).
    private func validateUTF8Sequence(at index: Int) throws(JSONParseError) -> Int {
        let length: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch bytes[index] {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondHigh = 0x9F
        case 0xF0: length = 4; secondLow = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondHigh = 0x8F
        default: throw JSONParseError(.invalidUTF8, at: index)
        }
        guard index + length <= end, (secondLow...secondHigh).contains(bytes[index + 1]) else {
            throw JSONParseError(.invalidUTF8, at: index)
        }
        for continuation in (index + 2)..<(index + length) where bytes[continuation] & 0xC0 != 0x80 {
            throw JSONParseError(.invalidUTF8, at: index)
        }
        return index + length
    }

    /// Decodes the escape whose backslash is at `index` and returns the index after it.
    private func decodeEscape(
        at index: Int, openingQuote: Int, into decoded: inout [UInt8]
    ) throws(JSONParseError) -> Int {
        guard index + 1 < end else { throw JSONParseError(.unterminatedString, at: openingQuote) }
        let simple: UInt8
        switch bytes[index + 1] {
        case JSONByte.quote, JSONByte.backslash, JSONByte.slash: simple = bytes[index + 1]
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = JSONByte.lineFeed
        case UInt8(ascii: "r"): simple = JSONByte.carriageReturn
        case UInt8(ascii: "t"): simple = JSONByte.tab
        case UInt8(ascii: "u"): return try decodeUnicodeEscape(at: index, into: &decoded)
        case let other: throw JSONParseError(.invalidEscape(other), at: index)
        }
        decoded.append(simple)
        return index + 2
    }

    /// Decodes `\uXXXX`, or a `\uD8xx\uDCxx` surrogate pair, at `index` into UTF-8.
    private func decodeUnicodeEscape(at index: Int, into decoded: inout [UInt8]) throws(JSONParseError) -> Int {
        let unit = try hexQuad(at: index + 2, escapeAt: index)
        var next = index + 6
        let scalar: UInt32
        switch unit {
        case 0xD800...0xDBFF:
            guard next + 1 < end, bytes[next] == JSONByte.backslash, bytes[next + 1] == UInt8(ascii: "u") else {
                throw JSONParseError(.unpairedSurrogate, at: index)
            }
            let low = try hexQuad(at: next + 2, escapeAt: next)
            guard (0xDC00...0xDFFF).contains(low) else { throw JSONParseError(.unpairedSurrogate, at: index) }
            scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            next += 6
        case 0xDC00...0xDFFF:
            throw JSONParseError(.unpairedSurrogate, at: index)
        case 0 where !options.allowsNUL:
            throw JSONParseError(.nulCharacter, at: index)
        default:
            scalar = unit
        }
        appendUTF8(scalar, to: &decoded)
        return next
    }

    private func hexQuad(at start: Int, escapeAt escape: Int) throws(JSONParseError) -> UInt32 {
        guard start + 4 <= end else { throw JSONParseError(.invalidUnicodeEscape, at: escape) }
        var value: UInt32 = 0
        for index in start..<(start + 4) {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case JSONByte.zero...JSONByte.nine: digit = byte - JSONByte.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(.invalidUnicodeEscape, at: escape)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private func appendUTF8(_ scalar: UInt32, to decoded: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            decoded.append(UInt8(scalar))
        case 0x80..<0x800:
            decoded.append(UInt8(0xC0 | scalar >> 6))
            decoded.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            decoded.append(UInt8(0xE0 | scalar >> 12))
            decoded.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            decoded.append(UInt8(0x80 | scalar & 0x3F))
        default:
            decoded.append(UInt8(0xF0 | scalar >> 18))
            decoded.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            decoded.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            decoded.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}

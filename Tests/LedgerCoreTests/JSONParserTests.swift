import Testing
@testable import LedgerCore

/// One input the parser must reject, with the exact reason and offset API clients will see.
struct InvalidJSONCase: Sendable, CustomTestStringConvertible {
    let name: String
    let input: [UInt8]
    let reason: JSONParseError.Reason
    let offset: Int

    init(_ name: String, _ input: [UInt8], _ reason: JSONParseError.Reason, at offset: Int) {
        self.name = name
        self.input = input
        self.reason = reason
        self.offset = offset
    }

    init(_ text: String, _ reason: JSONParseError.Reason, at offset: Int) {
        self.init(text, Array(text.utf8), reason, at: offset)
    }

    var testDescription: String { name }
}

/// One input the parser must accept, with its canonical text.
struct ValidJSONCase: Sendable, CustomTestStringConvertible {
    let input: [UInt8]
    let canonical: String

    init(_ input: String, _ canonical: String) {
        self.input = Array(input.utf8)
        self.canonical = canonical
    }

    init(bytes: [UInt8], _ canonical: String) {
        self.input = bytes
        self.canonical = canonical
    }

    var testDescription: String { String(decoding: input.prefix(60), as: UTF8.self) }
}

private let quote: UInt8 = 0x22

let invalidJSONCases: [InvalidJSONCase] = [
    InvalidJSONCase("", .emptyInput, at: 0),
    InvalidJSONCase("   ", .unexpectedEndOfInput(expected: .value), at: 3),
    InvalidJSONCase("[1,]", .trailingComma, at: 2),
    InvalidJSONCase(#"{"a":1,}"#, .trailingComma, at: 6),
    InvalidJSONCase("[,1]", .unexpectedByte(UInt8(ascii: ","), expected: .value), at: 1),
    InvalidJSONCase("01", .leadingZero, at: 0),
    InvalidJSONCase("-01", .leadingZero, at: 1),
    InvalidJSONCase("1.", .digitExpected, at: 2),
    InvalidJSONCase("1.e5", .digitExpected, at: 2),
    InvalidJSONCase("-", .digitExpected, at: 1),
    InvalidJSONCase("1e", .digitExpected, at: 2),
    InvalidJSONCase("1e+", .digitExpected, at: 3),
    InvalidJSONCase(".5", .unexpectedByte(UInt8(ascii: "."), expected: .value), at: 0),
    InvalidJSONCase("+1", .unexpectedByte(UInt8(ascii: "+"), expected: .value), at: 0),
    InvalidJSONCase("NaN", .unexpectedByte(UInt8(ascii: "N"), expected: .value), at: 0),
    InvalidJSONCase("Infinity", .unexpectedByte(UInt8(ascii: "I"), expected: .value), at: 0),
    InvalidJSONCase("-Infinity", .digitExpected, at: 1),
    InvalidJSONCase("0x10", .unexpectedByte(UInt8(ascii: "x"), expected: .endOfInput), at: 1),
    InvalidJSONCase("tru", .invalidLiteral, at: 0),
    InvalidJSONCase("[nul]", .invalidLiteral, at: 1),
    InvalidJSONCase("True", .unexpectedByte(UInt8(ascii: "T"), expected: .value), at: 0),
    InvalidJSONCase("[1] x", .unexpectedByte(UInt8(ascii: "x"), expected: .endOfInput), at: 4),
    InvalidJSONCase("1 2", .unexpectedByte(UInt8(ascii: "2"), expected: .endOfInput), at: 2),
    InvalidJSONCase("[1 2]", .unexpectedByte(UInt8(ascii: "2"), expected: .commaOrEndOfArray), at: 3),
    InvalidJSONCase("[1", .unexpectedEndOfInput(expected: .commaOrEndOfArray), at: 2),
    InvalidJSONCase(#"{"a" 1}"#, .unexpectedByte(UInt8(ascii: "1"), expected: .colon), at: 5),
    InvalidJSONCase(#"{"a""#, .unexpectedEndOfInput(expected: .colon), at: 4),
    InvalidJSONCase(#"{"a":"#, .unexpectedEndOfInput(expected: .value), at: 5),
    InvalidJSONCase(#"{"a":1"#, .unexpectedEndOfInput(expected: .commaOrEndOfObject), at: 6),
    InvalidJSONCase(#"{"a":1]"#, .unexpectedByte(UInt8(ascii: "]"), expected: .commaOrEndOfObject), at: 6),
    InvalidJSONCase("{1:2}", .unexpectedByte(UInt8(ascii: "1"), expected: .objectKey), at: 1),
    InvalidJSONCase("{'a':1}", .unexpectedByte(UInt8(ascii: "'"), expected: .objectKey), at: 1),
    InvalidJSONCase(#"{"a":1,"a":2}"#, .duplicateKey("a"), at: 7),
    InvalidJSONCase(#"{"x":{"name":1,"id":2,"name":3}}"#, .duplicateKey("name"), at: 22),
    InvalidJSONCase("[1, /* c */ 2]", .commentsNotAllowed, at: 4),
    InvalidJSONCase("// c\n1", .commentsNotAllowed, at: 0),
    InvalidJSONCase("\u{FEFF}{}", .byteOrderMark, at: 0),
    InvalidJSONCase("\u{0C}1", .unexpectedByte(0x0C, expected: .value), at: 0),
    InvalidJSONCase("\"abc", .unterminatedString, at: 0),
    InvalidJSONCase("[\"\\", .unterminatedString, at: 1),
    InvalidJSONCase("\"a\nb\"", .unescapedControlCharacter(0x0A), at: 2),
    InvalidJSONCase("raw NUL in string", [quote, 0x00, quote], .unescapedControlCharacter(0x00), at: 1),
    InvalidJSONCase(#""\u0000""#, .nulCharacter, at: 1),
    InvalidJSONCase(#""\ud800""#, .unpairedSurrogate, at: 1),
    InvalidJSONCase(#""\udc00\ud800""#, .unpairedSurrogate, at: 1),
    InvalidJSONCase(#""\ud800\u0041""#, .unpairedSurrogate, at: 1),
    InvalidJSONCase(#""\ud800\uzzzz""#, .invalidUnicodeEscape, at: 7),
    InvalidJSONCase(#""\u12G4""#, .invalidUnicodeEscape, at: 1),
    InvalidJSONCase(#""\u12"#, .invalidUnicodeEscape, at: 1),
    InvalidJSONCase(#""\x""#, .invalidEscape(UInt8(ascii: "x")), at: 1),
    InvalidJSONCase(#""\'""#, .invalidEscape(UInt8(ascii: "'")), at: 1),
    InvalidJSONCase("overlong 2-byte '/'", [quote, 0xC0, 0xAF, quote], .invalidUTF8, at: 1),
    InvalidJSONCase("overlong 3-byte '/'", [quote, 0xE0, 0x80, 0xAF, quote], .invalidUTF8, at: 1),
    InvalidJSONCase("overlong 4-byte", [quote, 0xF0, 0x80, 0x80, 0xAF, quote], .invalidUTF8, at: 1),
    InvalidJSONCase("UTF-8 encoded surrogate", [quote, 0xED, 0xA0, 0x80, quote], .invalidUTF8, at: 1),
    InvalidJSONCase("above U+10FFFF", [quote, 0xF4, 0x90, 0x80, 0x80, quote], .invalidUTF8, at: 1),
    InvalidJSONCase("truncated at end", [quote, 0xE2, 0x82], .invalidUTF8, at: 1),
    InvalidJSONCase("truncated before quote", [quote, 0x61, 0xE2, 0x82, quote], .invalidUTF8, at: 2),
    InvalidJSONCase("lone continuation", [quote, 0x80, quote], .invalidUTF8, at: 1),
    InvalidJSONCase("0xFF", [quote, 0xFF, quote], .invalidUTF8, at: 1),
    InvalidJSONCase("invalid UTF-8 after an escape", Array(#""\n"#.utf8) + [0xC3, quote], .invalidUTF8, at: 3),
    InvalidJSONCase("non-ASCII outside a string", [0xC3, 0xA9], .unexpectedByte(0xC3, expected: .value), at: 0),
    InvalidJSONCase(
        "100000 [", [UInt8](repeating: UInt8(ascii: "["), count: 100_000),
        .nestingTooDeep(limit: 64), at: 64),
    InvalidJSONCase(
        "100000 {\"a\":", Array(String(repeating: #"{"a":"#, count: 100_000).utf8),
        .nestingTooDeep(limit: 64), at: 64 * 5),
]

let validJSONCases: [ValidJSONCase] = [
    ValidJSONCase("0", "0"),
    ValidJSONCase("-0", "-0"),
    ValidJSONCase("1E400", "1E400"),
    ValidJSONCase("-1.5e-10", "-1.5e-10"),
    ValidJSONCase("1.50", "1.50"),
    ValidJSONCase("123456789012345678901234567890", "123456789012345678901234567890"),
    ValidJSONCase(" \t\n\r[ 1 , 2 ] \r\n", "[1,2]"),
    ValidJSONCase("{ }", "{}"),
    ValidJSONCase("[]", "[]"),
    ValidJSONCase("null", "null"),
    ValidJSONCase(#""""#, #""""#),
    ValidJSONCase(#""\u00e9""#, #""é""#),
    ValidJSONCase(#""\ud83d\ude00""#, #""😀""#),
    ValidJSONCase(#""\/""#, #""/""#),
    ValidJSONCase(#""\b\f\n\r\t\"\\""#, #""\b\f\n\r\t\"\\""#),
    ValidJSONCase(#""\u001F\u007f\u0041""#, "\"\\u001f\u{7F}A\""),
    ValidJSONCase(#"{"b":1,"a":[true,false,null]}"#, #"{"a":[true,false,null],"b":1}"#),
    ValidJSONCase(#"{"é":1,"z":2,"Z":3,"a":4}"#, #"{"Z":3,"a":4,"z":2,"é":1}"#),
    ValidJSONCase("[[[[[[[[]]]]]]]]", "[[[[[[[[]]]]]]]]"),
    ValidJSONCase(bytes: [quote, 0xF4, 0x8F, 0xBF, 0xBF, quote], "\"\u{10FFFF}\""),
    ValidJSONCase(bytes: [quote, 0xEF, 0xBF, 0xBF, quote], "\"\u{FFFF}\""),
    ValidJSONCase("\"\u{FEFF}\"", "\"\u{FEFF}\""),
]

@Suite struct JSONParserTests {
    @Test(arguments: invalidJSONCases)
    func rejects(_ testCase: InvalidJSONCase) {
        #expect(throws: JSONParseError(testCase.reason, at: testCase.offset)) {
            try JSONParser().parse(testCase.input)
        }
    }

    @Test(arguments: validJSONCases)
    func accepts(_ testCase: ValidJSONCase) throws {
        let value = try JSONParser().parse(testCase.input)
        #expect(value.canonicalText == testCase.canonical)
        #expect(value.serializedByteCount == value.canonicalBytes.count)
        #expect(try JSONParser().parse(value.canonicalBytes) == value)
    }

    @Test func errorMessagesNameTheProblemAndTheByte() {
        #expect(JSONParseError(.invalidUTF8, at: 17).description == "invalid UTF-8 at byte 17")
        #expect(JSONParseError(.duplicateKey("name"), at: 40).description == #"duplicate key "name" at byte 40"#)
        #expect(JSONParseError(.nestingTooDeep(limit: 8), at: 120).description == "nesting deeper than 8 at byte 120")
        #expect(
            JSONParseError(.unexpectedByte(UInt8(ascii: "x"), expected: .commaOrEndOfArray), at: 3).description
                == "unexpected 'x', expected ',' or ']' at byte 3")
        #expect(
            JSONParseError(.unescapedControlCharacter(0x0A), at: 2).description
                == "unescaped control character 0x0a in string at byte 2")
        #expect(JSONParseError(.invalidEscape(UInt8(ascii: "q")), at: 1).description == #"invalid escape \q in string at byte 1"#)
    }

    @Test func duplicateKeyMessageIsBounded() {
        let key = String(repeating: "k", count: 10_000)
        let error = JSONParseError(.duplicateKey(key), at: 0)
        #expect(error.description.count < 100)
    }

    @Test func depthLimitIsExact() throws {
        let parser = JSONParser(maxDepth: 8)
        let eight = String(repeating: "[", count: 8) + String(repeating: "]", count: 8)
        #expect(try parser.parse(eight).canonicalText == eight)
        let metadata = #"{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{}}}}}}}}}"#
        #expect(throws: JSONParseError(.nestingTooDeep(limit: 8), at: 40)) { try parser.parse(metadata) }
        #expect(throws: JSONParseError(.nestingTooDeep(limit: 0), at: 0)) { try JSONParser(maxDepth: 0).parse("[]") }
        #expect(try JSONParser(maxDepth: 0).parse("7") == 7)
    }

    @Test func sizeLimitIsCheckedBeforeParsing() throws {
        let parser = JSONParser(maxBytes: 8)
        #expect(try parser.parse("[1,2,3]") == [1, 2, 3])
        #expect(throws: JSONParseError(.inputTooLarge(limit: 8), at: 8)) { try parser.parse("[1,2,3,4]") }
    }

    @Test func nulEscapeCanBeAllowed() throws {
        let parser = JSONParser(allowsNUL: true)
        #expect(try parser.parse(#""a\u0000b""#) == .string("a\u{0}b"))
        #expect(throws: JSONParseError(.unescapedControlCharacter(0), at: 1)) { try parser.parse([quote, 0, quote]) }
    }

    @Test func offsetsCountFromTheSliceStart() {
        let body = Array(#"[1,2]{"a":01}"#.utf8)
        #expect(throws: JSONParseError(.leadingZero, at: 5)) { try JSONParser().parse(body[5...]) }
    }

    @Test func everyInputEntryPointAgrees() throws {
        let text = #"{"k":["v",1.0,{"n":null}]}"#
        let bytes = Array(text.utf8)
        let fromString = try JSONParser().parse(text)
        #expect(try JSONParser().parse(bytes) == fromString)
        #expect(try JSONParser().parse(bytes[...]) == fromString)
        #expect(try bytes.withUnsafeBytes { try JSONParser().parse($0) } == fromString)
    }

    @Test func parsedShapeAndAccessors() throws {
        let value = try JSONParser().parse(
            #"{"id":"e1","n":42,"f":1.5,"big":1e2,"ok":true,"none":null,"list":[1,"two"],"meta":{"k":"v"}}"#)
        #expect(value["id"]?.stringValue == "e1")
        #expect(value["n"]?.int64Value == 42)
        #expect(value["n"]?.numberLexeme == "42")
        #expect(value["f"]?.int64Value == nil)
        #expect(value["f"]?.doubleValue == 1.5)
        #expect(value["big"]?.int64Value == nil)
        #expect(value["ok"]?.boolValue == true)
        #expect(value["none"]?.isNull == true)
        #expect(value["list"]?[1]?.stringValue == "two")
        #expect(value["list"]?[2] == nil)
        #expect(value["meta"]?["k"] == "v")
        #expect(value["missing"] == nil)
        #expect(value.objectValue?.keys == ["id", "n", "f", "big", "ok", "none", "list", "meta"])
        #expect(value["list"]?.kindName == "an array")
    }

    @Test func stringsWithAndWithoutEscapesDecodeAlike() throws {
        let plain = try JSONParser().parse(#""héllo wörld 😀""#)
        let escaped = try JSONParser().parse(#""h\u00e9llo w\u00f6rld \ud83d\ude00""#)
        #expect(plain == escaped)
        #expect(plain.stringValue == "héllo wörld 😀")
    }

    @Test func largeObjectsStillFindDuplicates() throws {
        let members = (0..<40).map { #""k\#($0)":\#($0)"# }
        let object = try JSONParser().parse("{" + members.joined(separator: ",") + "}")
        #expect(object.objectValue?.count == 40)
        #expect(object["k39"] == 39)
        #expect(object["k0"] == 0)
        let duplicated = "{" + members.joined(separator: ",") + #","k17":0}"#
        #expect(throws: JSONParseError(.duplicateKey("k17"), at: duplicated.utf8.count - 8)) {
            try JSONParser().parse(duplicated)
        }
    }
}

import Testing
@testable import LedgerCore

/// Pins the canonical text byte for byte: these bytes are hashed into the ledger, so any
/// change here breaks verification of every stored event. Never update an expectation to make
/// a test pass; add a new format version instead.
@Suite struct JSONCanonicalTests {
    @Test func eventShapedObject() throws {
        let input = #"""
        {
          "name": "stack.deploy",
          "actor": {"id": "u_42", "name": "Jane \"JJ\" Doe", "email": "jane@example.com"},
          "metadata": {"path": "C:\\tmp/x", "tab": "a\tb", "ctl": "\u0001\u001F", "emoji": "\ud83d\ude00",
                       "n": 1.50, "big": 1E400, "neg": -0, "list": [3, 2, 1], "empty": {}},
          "targets": [],
          "ok": true,
          "none": null
        }
        """#
        let expected = #"{"actor":{"email":"jane@example.com","id":"u_42","name":"Jane \"JJ\" Doe"},"#
            + #""metadata":{"big":1E400,"ctl":"\u0001\u001f","emoji":"😀","empty":{},"list":[3,2,1],"#
            + #""n":1.50,"neg":-0,"path":"C:\\tmp/x","tab":"a\tb"},"name":"stack.deploy","none":null,"#
            + #""ok":true,"targets":[]}"#
        let value = try JSONParser().parse(input)
        #expect(value.canonicalText == expected)
        #expect(value.canonicalBytes == Array(expected.utf8))
        #expect(value.serializedByteCount == expected.utf8.count)
    }

    @Test func everyControlCharacterEscapesOneWay() {
        let controls = String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar(UInt8($0)) }))
        let value = JSONValue.string(controls + "\u{7F}/\"\\")
        let expected = #""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"#
            + "\u{7F}" + #"/\"\\""#
        #expect(value.canonicalText == expected)
        #expect(value.serializedByteCount == expected.utf8.count)
    }

    /// Escapes inside and at either end of a string, between runs of bytes copied as they are.
    @Test(arguments: ["", "plain", "\"quoted\"", "a\\b", "\nlead", "trail\t", "mid\u{1}dle", "é\"ü\u{1F}😀", "\\\\\"\""])
    func escapedRunsMatchTheByteRule(text: String) {
        let hex = Array("0123456789abcdef".utf8)
        var expected: [UInt8] = [0x22]
        for byte in text.utf8 {
            switch byte {
            case 0x22, 0x5C: expected += [0x5C, byte]
            case 0x08: expected += Array(#"\b"#.utf8)
            case 0x09: expected += Array(#"\t"#.utf8)
            case 0x0A: expected += Array(#"\n"#.utf8)
            case 0x0C: expected += Array(#"\f"#.utf8)
            case 0x0D: expected += Array(#"\r"#.utf8)
            case 0..<0x20: expected += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: expected.append(byte)
            }
        }
        expected.append(0x22)
        #expect(JSONValue.string(text).canonicalBytes == expected)
        #expect(JSONValue.string(text).serializedByteCount == expected.count)
    }

    @Test func keysSortByUTF8BytesNotByUTF16OrLocale() {
        // U+FF61 sorts before U+1F600 in UTF-16 (surrogates are 0xD83D) but after it in UTF-8.
        let value: JSONValue = ["😀": 1, "｡": 2, "B": 3, "a": 4, "": 5, "aa": 6]
        #expect(value.canonicalText == #"{"":5,"B":3,"a":4,"aa":6,"｡":2,"😀":1}"#)
    }

    @Test func stringsAreNotNormalised() {
        let composed = JSONValue.string("\u{E9}")
        let decomposed = JSONValue.string("e\u{301}")
        #expect(composed.canonicalBytes == [0x22, 0xC3, 0xA9, 0x22])
        #expect(decomposed.canonicalBytes == [0x22, 0x65, 0xCC, 0x81, 0x22])
        #expect(composed != decomposed)
    }

    @Test func builtValuesEncodeLikeParsedOnes() throws {
        var object = JSONObject()
        object["z"] = JSONValue(integer: -12)
        object["a"] = ["x", nil, false]
        object["m"] = .object(["k": "v"])
        let value = JSONValue.object(object)
        #expect(value.canonicalText == #"{"a":["x",null,false],"m":{"k":"v"},"z":-12}"#)
        #expect(try JSONParser().parse(value.canonicalText) == value)
    }

    @Test func appendCanonicalExtendsABuffer() {
        var buffer = Array("prefix:".utf8)
        JSONValue.array([1, "two"]).appendCanonical(to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"prefix:[1,"two"]"#)
    }

    @Test func equalityFollowsCanonicalText() throws {
        let left = try JSONParser().parse(#"{"a":1,"b":[true]}"#)
        let right = try JSONParser().parse(#"{"b":[true],"a":1}"#)
        #expect(left == right)
        #expect(left.hashValue == right.hashValue)
        #expect(try JSONParser().parse("1.0") != JSONParser().parse("1"))
        #expect(try JSONParser().parse(#"{"a":1}"#) != JSONParser().parse(#"{"a":1,"b":2}"#))
        #expect(Set([left, right]).count == 1)
    }

    @Test func objectEditingKeepsOrderAndIndex() {
        var object = JSONObject(uniqueKeysWithValues: (0..<20).map { ("k\($0)", JSONValue(integer: $0)) })
        #expect(object.removeValue(forKey: "k3") == 3)
        #expect(object["k3"] == nil)
        #expect(object["k19"] == 19)
        #expect(object.updateValue("new", forKey: "k0") == 0)
        #expect(object.keys.first == "k0")
        #expect(object["k0"] == "new")
        object["k5"] = nil
        #expect(object.count == 18)
        #expect(object.index(forKey: "k6") == 4)
        #expect(object.containsKey("k19"))
        #expect(!object.containsKey("k5"))
    }
}

import Testing
@testable import LedgerCore

/// Base64URL lives in Text/ beside CSVWriter; its tests share the CSV* file prefix.
@Suite struct Base64URLTests {
    @Test(arguments: [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"),
        ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(_ plain: String, _ encoded: String) {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test func usesTheURLAlphabet() {
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.encode([0xFF, 0xFF, 0xFF]) == "____")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
    }

    @Test func roundTripsEveryByteAndLength() {
        let bytes = (0..<256).map { UInt8($0) }
        for length in 0...bytes.count {
            let slice = bytes.prefix(length)
            let encoded = Base64URL.encode(slice)
            #expect(!encoded.contains("="))
            #expect(Base64URL.decode(encoded) == Array(slice))
        }
    }

    @Test(arguments: [
        "Zg==",      // padding
        "Zm8=",      // padding
        "Z",         // 4n+1 characters cannot be produced by any input
        "Zm9vY",     // same, longer
        "Zh",        // non-zero leftover bits: "Zg" is the only text for "f"
        "Zm9",       // non-zero leftover bits: "Zm8" is the only text for "fo"
        "+/8",       // standard alphabet
        "Zm 9v",     // whitespace
        "Zm9v\n",    // newline
        "Zm9vé",     // non-ASCII
        "Zm9v%3D",   // percent-encoding
    ])
    func rejectsNonCanonicalText(_ text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}

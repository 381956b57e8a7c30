import Testing
@testable import LedgerCore

/// How text is split into words for full-text search. ASCII text takes a byte-level path; text
/// with anything else takes the Unicode one. Both must split alike, or an event's stored words
/// would differ from the words a search asks for.
@Suite struct FullTextWordsTests {
    static let asciiTexts = [
        "Stack.Deploy by u_42 <ops@example.com>",
        "   leading and trailing   ",
        "MiXeD cAsE 123abc ABC123 a1b2C3",
        "tabs\tand\nnewlines\r\nand-dashes_and.dots",
        String((0..<128).map { Character(Unicode.Scalar(UInt8($0))) }),
        "repeat repeat REPEAT",
        "",
        "!!!",
    ]

    static func wordList(_ text: String) -> [String] {
        var words: [String] = []
        FullText.forEachWord(in: text) { words.append(String($0)) }
        return words
    }

    /// Appending a separated non-ASCII word sends the whole text down the Unicode path; the ASCII
    /// part must come out the same, in the same order, repeats included.
    @Test(arguments: asciiTexts)
    func asciiTextSplitsAsTheUnicodePathSplitsIt(_ text: String) {
        #expect(Self.wordList(text + " é") == Self.wordList(text) + ["é"])
        #expect(FullText.words(in: text + " é") == FullText.words(in: text).union(["é"]))
    }

    @Test func wordsAreLowerCasedRunsOfLettersAndDigits() {
        #expect(Self.wordList("Stack.Deploy by u_42, ops@Example.COM") == ["stack", "deploy", "by", "u", "42", "ops", "example", "com"])
        #expect(Self.wordList("Zürich Straße 7") == ["zürich", "straße", "7"])
        #expect(FullText.words(in: "deploy DEPLOY Deploy") == ["deploy"])
    }
}

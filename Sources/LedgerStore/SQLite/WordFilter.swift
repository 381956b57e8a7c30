/// A 256-bit Bloom filter of the words of an event's full-text document (`FullText.document`),
/// stored in the account/time index as four integer columns (schema migration 8).
///
/// Full-text search walks the account's index entries newest first (`WordWalk`), keeps those whose
/// filter holds every bit of the query's words, and reads only those rows, where the words are
/// checked exactly (`WordMatch`). Walking an index entry with the filter's test costs about 0.12
/// µs; asking FTS5 about one of the account's events costs 5–10 µs at 10M events, because a common
/// word's posting list covers the whole ledger (Benchmarks/PROFILES.md, "Full-text search through
/// word filters in the account/time index").
///
/// Each word sets three bits, bytes 0, 1 and 2 of 64-bit FNV-1a of its lower-cased ASCII bytes.
/// The bits are stored, so their spelling may never change (a test pins them).
///
/// Only ASCII is filtered: SQLite's unicode61 tokenizer folds case and diacritics in ways this
/// does not repeat, so a document with any byte over 0x7F gets every bit (it is always a
/// candidate, and the full-text index decides), and a query with a word outside ASCII does not
/// use the filter at all.
public struct WordFilter: Hashable, Sendable {
    /// Bit `b` is bit `b % 64` of lane `b / 64`: lane `i` is the column `words_i`.
    public private(set) var lanes: SIMD4<UInt64>

    public static let everything = WordFilter(lanes: SIMD4(repeating: .max))

    init(lanes: SIMD4<UInt64>) {
        self.lanes = lanes
    }

    /// The filter of a document's words (`forEachWord`); any byte outside ASCII gives
    /// `everything`. Runs for every appended event, so it works on the bytes in place.
    public init(document: String) {
        var filter = WordFilter(lanes: .zero)
        let ascii = Self.forEachWord(in: document) { filter.insert(hash: Self.hash(ofWord: $0)) }
        self = ascii ? filter : .everything
    }

    /// The bits every document holding all of `words` has; nil when a word is not lower-case
    /// ASCII letters and digits (as `FullText.words` gives them), which the filter cannot answer.
    public init?(words: some Sequence<String>) {
        var filter = WordFilter(lanes: .zero)
        for word in words {
            guard !word.isEmpty, word.utf8.allSatisfy({ Self.wordByte($0) == $0 }) else { return nil }
            filter.insert(hash: Self.hash(ofWord: word.utf8))
        }
        self = filter
    }

    /// Whether every bit of `other` is set here: a document whose filter does not contain the
    /// query's cannot hold all of its words.
    public func contains(_ other: WordFilter) -> Bool {
        lanes & other.lanes == other.lanes
    }

    /// The columns `words_0` to `words_3` as SQLite stores them: the same 64 bits, signed.
    public var columns: [Int64] { (0..<4).map { Int64(bitPattern: lanes[$0]) } }

    private mutating func insert(hash: UInt64) {
        set(bit: hash & 255)
        set(bit: (hash >> 8) & 255)
        set(bit: (hash >> 16) & 255)
    }

    private mutating func set(bit: UInt64) {
        lanes[Int(bit >> 6)] |= 1 << (bit & 63)
    }

    /// Splits ASCII text as SQLite's unicode61 tokenizer does: runs of ASCII letters and digits.
    /// Calls `word` with each run's bytes, as they are (`hash(ofWord:)` and `WordMatch` fold
    /// case), and returns false, having stopped, at the first byte outside ASCII.
    static func forEachWord(in text: String, _ word: (Slice<UnsafeBufferPointer<UInt8>>) -> Void) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var start: Int? = nil
            for index in bytes.indices {
                let byte = bytes[index]
                if byte >= 0x80 { return false }
                if wordByte(byte) != nil {
                    if start == nil { start = index }
                } else if let first = start {
                    word(bytes[first..<index])
                    start = nil
                }
            }
            if let first = start { word(bytes[first...]) }
            return true
        }
    }

    /// 64-bit FNV-1a of a word's lower-cased bytes. Inside a word (letters and digits) `| 0x20`
    /// is the lower case: it lower-cases a letter and leaves a digit as it is.
    static func hash(ofWord bytes: some Sequence<UInt8>) -> UInt64 {
        var hash = offsetBasis
        for byte in bytes { hash = (hash ^ UInt64(byte | 0x20)) &* prime }
        return hash
    }

    /// The byte lower-cased when it is an ASCII letter or digit, nil when it separates words.
    /// (`| 0x20` lower-cases a letter and moves no other byte into a–z.)
    @inline(__always)
    static func wordByte(_ byte: UInt8) -> UInt8? {
        let lowered = byte | 0x20
        if lowered &- UInt8(ascii: "a") < 26 { return lowered }
        if byte &- UInt8(ascii: "0") < 10 { return byte }
        return nil
    }

    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01B3
}

/// The exact check of the rows a word filter lets through: whether an event's document holds
/// every query word. Nil when the document is not ASCII, where only the full-text index's own
/// tokenizer can say.
enum WordMatch {
    static func document(_ document: String, holdsAll words: [String]) -> Bool? {
        var wanted = words.map { Array($0.utf8) }
        let ascii = WordFilter.forEachWord(in: document) { word in
            wanted.removeAll { $0.elementsEqual(word.lazy.map { $0 | 0x20 }) }
        }
        return ascii ? wanted.isEmpty : nil
    }
}

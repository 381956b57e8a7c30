/// A 256-bit Bloom filter of the words of an event's full-text document (`FullText.document`),
/// stored in the account/time index as four integer columns (schema migration 8).
///
/// Full-text search of an account that is not large walks the account's index entries newest
/// first, keeps those whose filter holds every bit of the query's words, and reads only those
/// rows, where the words are checked exactly (`WordMatch`). Walking an index entry costs about
/// 0.06 µs; asking FTS5 about one of the account's events costs 5–10 µs at 10M events, because
/// a common word's posting list covers the whole ledger (Benchmarks/PROFILES.md, "Full-text
/// search through word filters in the account/time index").
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

    /// The filter of a document's words, split as unicode61 splits ASCII: runs of letters and
    /// digits, case folded. Any non-ASCII byte gives `everything`. Runs for every appended
    /// event, so it works on the bytes in place and allocates nothing.
    public init(document: String) {
        var document = document
        self = document.withUTF8 { bytes in
            var filter = WordFilter(lanes: .zero)
            var hash = Self.offsetBasis
            var inWord = false
            for byte in bytes {
                if byte >= 0x80 { return .everything }
                if let folded = Self.wordByte(byte) {
                    hash = (hash ^ UInt64(folded)) &* Self.prime
                    inWord = true
                } else if inWord {
                    filter.insert(hash: hash)
                    hash = Self.offsetBasis
                    inWord = false
                }
            }
            if inWord { filter.insert(hash: hash) }
            return filter
        }
    }

    /// The bits every document holding all of `words` has; nil when a word is not lower-case
    /// ASCII letters and digits (as `FullText.words` gives them), which the filter cannot answer.
    public init?(words: some Sequence<String>) {
        var filter = WordFilter(lanes: .zero)
        for word in words {
            var hash = Self.offsetBasis
            for byte in word.utf8 {
                guard let folded = Self.wordByte(byte), folded == byte else { return nil }
                hash = (hash ^ UInt64(byte)) &* Self.prime
            }
            if word.isEmpty { return nil }
            filter.insert(hash: hash)
        }
        self = filter
    }

    /// Whether every bit of `other` is set here: a document whose filter does not contain the
    /// query's cannot hold all of its words.
    public func contains(_ other: WordFilter) -> Bool {
        lanes & other.lanes == other.lanes
    }

    /// The columns `words_0` to `words_3` as SQLite stores them: the same 64 bits, signed.
    var columns: [Int64] { (0..<4).map { Int64(bitPattern: lanes[$0]) } }

    private mutating func insert(hash: UInt64) {
        set(bit: hash & 255)
        set(bit: (hash >> 8) & 255)
        set(bit: (hash >> 16) & 255)
    }

    private mutating func set(bit: UInt64) {
        lanes[Int(bit >> 6)] |= 1 << (bit & 63)
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
        var wanted = Set(words.map { Array($0.utf8) })
        var current: [UInt8] = []
        current.reserveCapacity(32)
        func endWord() {
            if !current.isEmpty {
                wanted.remove(current)
                current.removeAll(keepingCapacity: true)
            }
        }
        for byte in document.utf8 {
            if byte >= 0x80 { return nil }
            if let folded = WordFilter.wordByte(byte) { current.append(folded) } else { endWord() }
        }
        endWord()
        return wanted.isEmpty
    }
}

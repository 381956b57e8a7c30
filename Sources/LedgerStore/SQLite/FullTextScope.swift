import LedgerCore

/// The tokens of each event's full-text document: its words, scoped to its account, and tokens for
/// its (account, day) and (account, day, country), so that a search asks the full-text index about
/// one account's events of a few days instead of about every matching event in the ledger.
///
/// - Day and country tokens (schema migration 7). Without them, a full-text search built the set
///   of every event in the ledger that holds the words, and a rare country was found by reading
///   every entry of the account's range (Benchmarks/PROFILES.md, "Search scoped by day in the
///   full-text index").
/// - Word tokens (schema migration 8). With ledger-wide words, a word's posting list held every
///   account's events (1.6M of 10M for a common one), and FTS5 seeked into it once for each of the
///   account's events a search looked at: ~5 µs a word an event, 40 ms for a mid-sized account
///   (Benchmarks/PROFILES.md, "Words scoped by account in the full-text index"). An account's own
///   word list is as long as its own use of the word.
///
/// A token is U+E000 (a private-use character), a kind letter and 16 hex digits of an FNV-1a hash,
/// and for a word the word itself. SQLite's unicode61 tokenizer keeps private-use characters
/// inside a token, while `FullText.words`, which splits every search text, drops them, so no search
/// text can ask for a token. An event's own text may contain one, and two scopes may share a hash:
/// either only adds candidates, and the search's SQL filters (account, time, country) drop them.
/// A word is spelt out rather than hashed so that two words can never share a token.
public enum FullTextScope {
    /// The token for the events of `account` whose `occurred_at` falls on `day` (`DayWalk.day(of:)`).
    public static func dayToken(account: String, day: Int64) -> String {
        token(kind: "d", dayScope(account: account, day: day))
    }

    /// The token for the events of `account` on `day` located in `country` (as stored in `country_code`).
    public static func countryToken(account: String, day: Int64, country: String) -> String {
        token(kind: "c", countryScope(dayScope(account: account, day: day), country))
    }

    /// The token for `word` (as `FullText.words` spells it) in the events of `account`: the
    /// account's hash, then the word itself, so that distinct words never share a token.
    public static func wordToken(account: String, word: some StringProtocol) -> String {
        wordPrefix(account) + word
    }

    /// "w" and the high 32 bits of the account's hash as 8 hex digits: ASCII alone, and short,
    /// because every word of every document carries it (SQLite's tokenizer takes a slower path for
    /// a non-ASCII character, and a longer token costs it more). Accounts that share the prefix
    /// only share candidates, which the search's account filter drops.
    private static func wordPrefix(_ account: String) -> String {
        let hash = accountScope(account).value >> 32
        return String(unsafeUninitializedCapacity: 9) { buffer in
            buffer[0] = UInt8(ascii: "w")
            for index in 0..<8 { buffer[1 + index] = hexDigits[Int(hash >> UInt64(28 - 4 * index) & 0xF)] }
            return 9
        }
    }

    /// The text the full-text index holds for an event: its words, each as the account's word
    /// token, and its scope tokens. An event holds no ledger-wide words (schema migration 8).
    public static func document(for content: EventContent, countryCode: String?) -> String {
        let prefix = wordPrefix(content.account)
        var document = ""
        document.reserveCapacity(512)
        FullText.forEachWord(in: FullText.document(for: content)) { word in
            document += prefix
            document += word
            document += " "
        }
        let day = dayScope(account: content.account, day: DayWalk.day(of: content.occurredAt.microseconds))
        document += token(kind: "d", day)
        if let countryCode {
            document += " " + token(kind: "c", countryScope(day, countryCode))
        }
        return document
    }

    private static func accountScope(_ account: String) -> FNV1a64 {
        var hash = FNV1a64()
        hash.add(account.utf8)
        return hash
    }

    // 0xFF never occurs in UTF-8, so the fields cannot run into each other.
    private static func dayScope(account: String, day: Int64) -> FNV1a64 {
        var hash = FNV1a64()
        hash.add(account.utf8)
        hash.add(0xFF)
        withUnsafeBytes(of: day.littleEndian) { hash.add($0) }
        return hash
    }

    private static func countryScope(_ dayScope: FNV1a64, _ country: String) -> FNV1a64 {
        var hash = dayScope
        hash.add(0xFF)
        hash.add(country.utf8)
        return hash
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// U+E000 (UTF-8 EE 80 80), the kind letter, then the hash as 16 lower-case hex digits.
    private static func token(kind: Unicode.Scalar, _ hash: FNV1a64) -> String {
        String(unsafeUninitializedCapacity: 20) { buffer in
            buffer[0] = 0xEE
            buffer[1] = 0x80
            buffer[2] = 0x80
            buffer[3] = UInt8(kind.value)
            for index in 0..<16 {
                buffer[4 + index] = hexDigits[Int(hash.value >> UInt64(60 - 4 * index) & 0xF)]
            }
            return 20
        }
    }
}

/// FNV-1a, 64-bit: stable across processes and builds, unlike Swift's seeded `Hasher`, which
/// matters because the tokens are stored.
private struct FNV1a64 {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { add(byte) }
    }
}

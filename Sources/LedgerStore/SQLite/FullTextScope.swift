import LedgerCore

/// Tokens that each event's full-text document carries besides its words (schema migration 7), so
/// that a search can ask the full-text index for one account's events of one day, or of one day
/// in one country, instead of for every matching event in the ledger.
///
/// Without them, a full-text search built the set of every event in the ledger that holds the
/// words, for all accounts and all time, and then kept the account's: about a second at 10M events
/// (Benchmarks/PROFILES.md, "Search scoped by day in the full-text index"). A rare country had the
/// opposite problem: the account/time index held the country, but the search read every entry of
/// the range to find the few that matched.
///
/// A token is U+E000 (a private-use character), a kind letter and 16 hex digits of an FNV-1a hash.
/// SQLite's unicode61 tokenizer keeps private-use characters inside a token, while
/// `FullText.words`, which splits every search text, drops them, so no search text can ask for a
/// token. An event's own text may contain one, and two scopes may share a hash: either only adds
/// candidates, and the search's SQL filters (account, time, country) drop them.
public enum FullTextScope {
    /// The token for the events of `account` whose `occurred_at` falls on `day` (`DayWalk.day(of:)`).
    public static func dayToken(account: String, day: Int64) -> String {
        token(kind: "d", dayScope(account: account, day: day))
    }

    /// The token for the events of `account` on `day` located in `country` (as stored in `country_code`).
    public static func countryToken(account: String, day: Int64, country: String) -> String {
        token(kind: "c", countryScope(dayScope(account: account, day: day), country))
    }

    /// The token for all of `account`'s events located in `country`, whatever their day (schema
    /// migration 9): a country rare in a large account is then one question to the index instead
    /// of one token per day of the account's history.
    public static func accountCountryToken(account: String, country: String) -> String {
        token(kind: "a", accountCountryScope(account: account, country: country))
    }

    /// The text the full-text index holds for an event: its words (`FullText.document`) and its scope tokens.
    public static func document(for content: EventContent, countryCode: String?) -> String {
        document(words: FullText.document(for: content), of: content, countryCode: countryCode)
    }

    /// The same, from the event's words already built (`FullText.document(for: content)`).
    public static func document(words: String, of content: EventContent, countryCode: String?) -> String {
        let day = dayScope(account: content.account, day: DayWalk.day(of: content.occurredAt.microseconds))
        var document = words
        document += " " + token(kind: "d", day)
        if let countryCode {
            document += " " + token(kind: "c", countryScope(day, countryCode))
            document += " " + token(kind: "a", accountCountryScope(account: content.account, country: countryCode))
        }
        return document
    }

    // 0xFF never occurs in UTF-8, so the fields cannot run into each other.
    private static func dayScope(account: String, day: Int64) -> FNV1a64 {
        var hash = FNV1a64()
        hash.add(account.utf8)
        hash.add(0xFF)
        withUnsafeBytes(of: day.littleEndian) { hash.add($0) }
        return hash
    }

    private static func accountCountryScope(account: String, country: String) -> FNV1a64 {
        var hash = FNV1a64()
        hash.add(account.utf8)
        hash.add(0xFF)
        hash.add(country.utf8)
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

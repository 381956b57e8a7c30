import Crypto
import Foundation
import LedgerCore

/// Full text on PostgreSQL with the semantics of `FullText` and of SQLite's FTS5 unicode61
/// tokenizer (which removes diacritics): the words are computed here, not by a PostgreSQL text
/// search configuration, whose parser splits differently (it keeps `stack.deploy` or an email
/// address as one token). They are stored as lexemes verbatim (`array_to_tsvector`) and queried
/// as a conjunction of quoted lexemes, so an event matches exactly when every query word is
/// among its words.
enum PostgresFullText {
    /// PostgreSQL refuses lexemes over 2 KiB; words longer than this are stored (and queried)
    /// by their digest, which keeps exact matching.
    static let maxWordBytes = 256

    /// The event's words, space-separated (words never contain spaces), for the `words` column.
    static func lexemes(for content: EventContent) -> String {
        normalisedWords(in: FullText.document(for: content)).joined(separator: " ")
    }

    /// The tsquery text requiring every word of `text`, or nil when it has none.
    static func query(_ text: String) -> String? {
        let words = normalisedWords(in: text)
        if words.isEmpty { return nil }
        return words.map { "'" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'" }
            .joined(separator: " & ")
    }

    static func normalisedWords(in text: String) -> [String] {
        Set(FullText.words(in: text).compactMap { word -> String? in
            let folded = withoutDiacritics(word)
            if folded.isEmpty { return nil }
            if folded.utf8.count <= maxWordBytes { return folded }
            return "#" + SHA256.hash(data: Array(folded.utf8)).map { String(format: "%02x", $0) }.joined()
        }).sorted()
    }

    /// `café` → `cafe`: canonical decomposition without its combining marks, as unicode61's
    /// remove_diacritics does for Latin letters.
    static func withoutDiacritics(_ word: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in word.decomposedStringWithCanonicalMapping.unicodeScalars
        where scalar.properties.generalCategory != .nonspacingMark {
            scalars.append(scalar)
        }
        return String(scalars)
    }
}

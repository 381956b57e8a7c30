/// What full-text search sees of an event, and how text is split into words.
///
/// Storage indexes `document(for:)`; queries are split with `words(in:)` and every word must
/// appear. Words are runs of letters and digits, lower-cased, so `stack.deploy` is the two
/// words `stack` and `deploy` (as SQLite's unicode61 tokenizer splits them).
public enum FullText {
    public static func document(for content: EventContent) -> String {
        var parts = [content.name, content.actor.id]
        if let name = content.actor.name { parts.append(name) }
        if let email = content.actor.email { parts.append(email) }
        for target in content.targets {
            parts.append(target.id)
            if let name = target.name { parts.append(name) }
        }
        if let description = content.description { parts.append(description) }
        return parts.joined(separator: " ")
    }

    public static func words(in text: String) -> Set<String> {
        var words = Set<String>()
        forEachWord(in: text) { words.insert(String($0)) }
        return words
    }

    /// Calls `body` with each word of `text` in order, repeats included, as `words(in:)` splits them.
    /// Text that is all ASCII (nearly every event's) is split on its bytes, without the Unicode
    /// property lookups and the lower-cased copy: the SQLite store splits every appended event's
    /// document on its single writer thread.
    public static func forEachWord(in text: String, _ body: (Substring) -> Void) {
        var text = text
        let isASCII = text.withUTF8 { bytes in bytes.allSatisfy { $0 < 0x80 } }
        guard isASCII else {
            var current = ""
            for character in text.lowercased().unicodeScalars {
                if character.properties.isAlphabetic || character.properties.numericType != nil {
                    current.unicodeScalars.append(character)
                } else if !current.isEmpty {
                    body(Substring(current))
                    current = ""
                }
            }
            if !current.isEmpty { body(Substring(current)) }
            return
        }
        var word: [UInt8] = []
        func flush() {
            if !word.isEmpty { body(Substring(decoding: word, as: UTF8.self)); word.removeAll(keepingCapacity: true) }
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
            default: flush()
            }
        }
        flush()
    }
}

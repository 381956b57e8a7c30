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
        var current = ""
        for character in text.lowercased().unicodeScalars {
            if character.properties.isAlphabetic || character.properties.numericType != nil {
                current.unicodeScalars.append(character)
            } else if !current.isEmpty {
                words.insert(current)
                current = ""
            }
        }
        if !current.isEmpty { words.insert(current) }
        return words
    }
}

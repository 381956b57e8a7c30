/// The one-string search syntax, in the style of GitHub's audit log:
///
///     name:stack.* actor:u_42 country:GB created:2026-11-01..2026-11-21 "disk full"
///
/// Qualifiers: `name:` (exact, `family.*`, or a comma-separated list), `actor:`, `country:`,
/// `city:`, `ip:` (address or CIDR), `target:type:id`, `outcome:success|failure`, and
/// `created:` on `occurred_at` — a date or RFC 3339 time, a range `A..B` (dates inclusive, as
/// on GitHub; `*` for an open end), or `>A`, `>=A`, `<B`, `<=B`. Values with spaces are quoted.
/// Anything else is free text, every word of which must match.
public enum QueryString {
    public static func parse(_ text: String, into query: inout SearchQuery) throws(QuerySyntaxError) {
        var freeText: [String] = []
        for token in try tokens(text) {
            guard let colon = token.firstIndex(of: ":"), !token.quotedKey else {
                freeText.append(token.text)
                continue
            }
            let key = String(token.text[..<colon]).lowercased()
            let value = String(token.text[token.text.index(after: colon)...])
            guard !value.isEmpty else { throw QuerySyntaxError("\(key): needs a value") }
            try apply(key: key, value: value, to: &query)
        }
        if !freeText.isEmpty {
            query.text = ([query.text].compactMap { $0 } + freeText).joined(separator: " ")
        }
    }

    private static func apply(key: String, value: String, to query: inout SearchQuery) throws(QuerySyntaxError) {
        switch key {
        case "name", "action":
            for part in value.split(separator: ",") {
                guard let filter = NameFilter(String(part)) else {
                    throw QuerySyntaxError("name:\(part) is not an activity name (lowercase dotted words, or family.*)")
                }
                query.names.append(filter)
            }
        case "actor":
            query.actor = value
        case "country":
            guard value.count == 2, value.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw QuerySyntaxError("country:\(value) is not a two-letter ISO 3166 country code")
            }
            query.country = value.uppercased()
        case "city":
            query.city = value
        case "ip":
            guard let network = IPNetwork(value) else { throw QuerySyntaxError("ip:\(value) is not an IP address or CIDR block") }
            query.ipNetwork = network
        case "target":
            guard let target = TargetFilter(value) else { throw QuerySyntaxError("target:\(value) must be type:id") }
            query.target = target
        case "outcome":
            guard let outcome = Outcome(name: value) else { throw QuerySyntaxError("outcome:\(value) must be success or failure") }
            query.outcome = outcome
        case "created", "occurred":
            let range = try timeRange(value)
            if let from = range.from { query.from = from }
            if let to = range.to { query.to = to }
        default:
            throw QuerySyntaxError("unknown qualifier \(key): (use name, actor, country, city, ip, target, outcome or created; quote text that contains a colon)")
        }
    }

    /// A `created:` value as a half-open range.
    static func timeRange(_ value: String) throws(QuerySyntaxError) -> (from: Timestamp?, to: Timestamp?) {
        if let dots = value.range(of: "..") {
            let lower = String(value[..<dots.lowerBound]), upper = String(value[dots.upperBound...])
            return (lower == "*" ? nil : try bound(lower).start, upper == "*" ? nil : try bound(upper).end)
        }
        for op in [">=", "<=", ">", "<"] where value.hasPrefix(op) {
            let bound = try bound(String(value.dropFirst(op.count)))
            switch op {
            case ">=": return (bound.start, nil)
            case ">": return (bound.end, nil)
            case "<=": return (nil, bound.end)
            default: return (nil, bound.start)
            }
        }
        let day = try bound(value)
        return (day.start, day.end)
    }

    /// A date covers its whole UTC day; a time is an instant (its "end" is the next microsecond).
    private static func bound(_ text: String) throws(QuerySyntaxError) -> (start: Timestamp, end: Timestamp) {
        guard let start = try? Timestamp.parseDateOrTime(text) else {
            throw QuerySyntaxError("created:\(text) is not a date (2026-11-21) or RFC 3339 time")
        }
        let isDate = text.utf8.count == 10
        return (start, Timestamp(microseconds: start.microseconds + (isDate ? 86_400_000_000 : 1)))
    }

    private struct Token {
        var text: String
        /// A quoted token is always free text, even if it contains a colon.
        var quotedKey: Bool
        func firstIndex(of character: Character) -> String.Index? { text.firstIndex(of: character) }
    }

    /// Splits on whitespace, keeping "quoted strings" (and `key:"quoted value"`) together.
    private static func tokens(_ text: String) throws(QuerySyntaxError) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var inQuotes = false
        var startedQuoted = false
        for character in text {
            if character == "\"" {
                if !inQuotes && current.isEmpty { startedQuoted = true }
                inQuotes.toggle()
            } else if character.isWhitespace && !inQuotes {
                if !current.isEmpty { tokens.append(Token(text: current, quotedKey: startedQuoted)) }
                current = ""
                startedQuoted = false
            } else {
                current.append(character)
            }
        }
        guard !inQuotes else { throw QuerySyntaxError("unterminated quote") }
        if !current.isEmpty { tokens.append(Token(text: current, quotedKey: startedQuoted)) }
        return tokens
    }
}

public struct QuerySyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

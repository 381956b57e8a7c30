import LedgerCore

/// A request's query string, decoded strictly: `+` is a space, every `%XX` must be valid
/// hex, the result must be UTF-8 without control characters, and only the names a route
/// accepts may appear. Hummingbird's own parser falls back to the raw text on bad escapes,
/// which would let a malformed filter through as a different one.
struct QueryParameters: Sendable {
    static let maxQueryBytes = 8 * 1024

    private(set) var pairs: [(name: String, value: String)] = []

    /// - Parameter allowed: the parameters the route knows; any other is a 400.
    init(_ query: String?, allowed: Set<String>) throws(APIError) {
        guard let query, !query.isEmpty else { return }
        guard query.utf8.count <= Self.maxQueryBytes else {
            throw APIError(.uriTooLong, code: "uri_too_long", message: "The query string is longer than \(Self.maxQueryBytes) bytes")
        }
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let (rawName, rawValue) = part.firstIndex(of: "=").map { (part[..<$0], part[part.index(after: $0)...]) }
                ?? (part[...], ""[...])
            let name = try Self.decode(rawName, parameter: String(rawName))
            guard allowed.contains(name) else {
                throw APIError.invalidParameter(name, "unknown parameter (this endpoint takes \(allowed.sorted().joined(separator: ", ")))")
            }
            pairs.append((name, try Self.decode(rawValue, parameter: name)))
        }
    }

    /// Every value of a repeatable parameter, in order.
    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    /// The value of a parameter that may appear once; a repeat is an error rather than a guess.
    func single(_ name: String) throws(APIError) -> String? {
        let values = all(name)
        guard values.count <= 1 else { throw APIError.invalidParameter(name, "may be given only once") }
        return values.first
    }

    /// A parameter that must be present and non-empty.
    func required(_ name: String) throws(APIError) -> String {
        guard let value = try single(name), !value.isEmpty else { throw APIError.invalidParameter(name, "is required") }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let text = try single(name) else { return nil }
        // Digits only (an optional minus aside): `+5`, ` 5` and `5.0` are not integers here.
        let digits = text.hasPrefix("-") ? text.utf8.dropFirst() : text.utf8[...]
        guard text.utf8.count <= 20, !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let value = Int(text), range.contains(value) else {
            throw APIError.invalidParameter(name, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func unsigned(_ name: String) throws(APIError) -> UInt64? {
        guard let text = try single(name) else { return nil }
        guard text.utf8.count <= 20, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let value = UInt64(text), value <= UInt64(Int64.max) else {
            throw APIError.invalidParameter(name, "must be a non-negative integer")
        }
        return value
    }

    /// An RFC 3339 time, or a date meaning the start of that UTC day.
    func time(_ name: String) throws(APIError) -> Timestamp? {
        guard let text = try single(name) else { return nil }
        guard let time = try? Timestamp.parseDateOrTime(text) else {
            throw APIError.invalidParameter(name, "must be an RFC 3339 time (2026-11-21T10:00:00Z) or a date (2026-11-21)")
        }
        return time
    }

    /// Percent-decoding per the URL standard's form rules, refusing what it cannot decode.
    static func decode(_ text: Substring, parameter: String) throws(APIError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw APIError.invalidParameter(parameter, "has a malformed percent-escape")
                }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw APIError.invalidParameter(parameter, "is not valid UTF-8")
        }
        guard !decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
            throw APIError.invalidParameter(parameter, "contains control characters")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// The field rules of PRODUCT.md's event model, as small pure checks shared by validation,
/// search filters and the query-string parser.
public enum EventRules {
    public static let maxClientIDLength = 128
    public static let maxAccountLength = 64
    public static let maxNameLength = 128
    public static let maxActorIDLength = 256
    public static let maxActorNameLength = 256
    public static let maxEmailLength = 320
    public static let maxTargets = 10
    public static let maxTargetFieldLength = 256
    public static let maxDescriptionBytes = 2 * 1024
    public static let maxUserAgentBytes = 1024
    public static let maxMetadataBytes = 16 * 1024
    public static let maxMetadataDepth = 8
    /// How far in the future `occurred_at` may be: clocks drift, but not by more than this.
    public static let maxFutureSkewMicroseconds: Int64 = 5 * 60 * 1_000_000

    /// 1–128 printable ASCII characters (0x21–0x7E: no spaces or controls).
    public static func isValidClientID(_ text: String) -> Bool {
        (1...maxClientIDLength).contains(text.utf8.count) && text.utf8.allSatisfy { (0x21...0x7e).contains($0) }
    }

    /// `[a-z0-9][a-z0-9_.-]{0,63}`
    public static func isValidAccount(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count <= maxAccountLength, isLowerAlphanumeric(first) else { return false }
        return bytes.dropFirst().allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// Lowercase dotted words, `[a-z0-9_]+(\.[a-z0-9_]+)*`, at most 128 bytes.
    public static func isValidName(_ text: String) -> Bool {
        guard (1...maxNameLength).contains(text.utf8.count) else { return false }
        return text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "_") }
        }
    }

    /// A deliberately loose check (`local@domain.tld`, no spaces): audit logs record what the
    /// identity provider said, they do not judge it; this only keeps garbage out.
    ///
    /// Checked on Unicode scalars, not characters: every event's actor goes through here, and
    /// grapheme breaking and Foundation's substring search cost more than the rest of the
    /// validation together. `@` and `.` are ASCII, so a scalar and a character agree on them
    /// except where a combining mark follows one, which no address has.
    public static func isPlausibleEmail(_ text: String) -> Bool {
        guard (3...maxEmailLength).contains(text.utf8.count) else { return false }
        var atSigns = 0
        var localLength = 0
        var domainDots = 0
        var domainLength = 0
        var lastScalar: Unicode.Scalar = "@"
        for scalar in text.unicodeScalars {
            let isWhitespace = scalar.isASCII
                ? (scalar == " " || (0x09...0x0D).contains(scalar.value))
                : scalar.properties.isWhitespace
            if isWhitespace { return false }
            if scalar == "@" {
                atSigns += 1
                if atSigns > 1 { return false }
            } else if atSigns == 0 {
                localLength += 1
            } else {
                // The domain may not start with a dot.
                if scalar == "." && domainLength == 0 { return false }
                if scalar == "." { domainDots += 1 }
                domainLength += 1
            }
            lastScalar = scalar
        }
        return atSigns == 1 && localLength > 0 && domainDots > 0 && lastScalar != "."
    }

    /// A stored text field: no NUL or other C0 control characters except tab, LF and CR.
    public static func isCleanText(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value >= 0x20 || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (0x61...0x7a).contains(byte) || (0x30...0x39).contains(byte)
    }
}

/// Why a time string was rejected; `description` suits an API error's `message`.
public struct TimestampParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// Not shaped like `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)` (or `YYYY-MM-DD` where a
        /// date alone is accepted).
        case malformed
        /// A date-time without `Z` or `±hh:mm`: local times are ambiguous in an audit log.
        case missingOffset
        /// A month or day that does not exist, such as 2026-02-29 or 2026-13-01.
        case invalidDate
        /// An hour above 23, a minute above 59 or a second above 60.
        case invalidTime
        /// Second 60: Unix time, and so the ledger, has no leap seconds.
        case leapSecond
        /// An offset hour above 23 or minute above 59.
        case invalidOffset
        /// More than 9 fractional digits (nanoseconds).
        case fractionTooLong
        /// A year outside 0001–9999, before or after converting to UTC.
        case outOfRange
    }

    /// What was wrong.
    public var reason: Reason

    public init(_ reason: Reason) {
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .malformed: "not an RFC 3339 date-time such as 2026-11-21T10:00:00Z"
        case .missingOffset: "missing UTC offset: end the time with Z or ±hh:mm"
        case .invalidDate: "no such date"
        case .invalidTime: "no such time of day"
        case .leapSecond: "leap seconds (second 60) are not supported"
        case .invalidOffset: "UTC offset out of range"
        case .fractionTooLong: "more than 9 digits of fractional seconds"
        case .outOfRange: "year outside 0001–9999"
        }
    }
}

extension Timestamp {
    /// Parses an RFC 3339 `date-time` strictly: `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`.
    ///
    /// `T` and `Z` may be lowercase (RFC 3339 §5.6). The fraction has 1–9 digits and is
    /// truncated to microseconds. Offsets are converted to UTC; `-00:00` means UTC. Rejected:
    /// a missing offset, a space instead of `T`, second 60, dates that do not exist, and years
    /// outside 0001–9999 (also after conversion to UTC).
    public static func parseRFC3339(_ text: some StringProtocol) throws(TimestampParseError) -> Timestamp {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              let hour = decimal(bytes, 11, 2), bytes[13] == UInt8(ascii: ":"),
              let minute = decimal(bytes, 14, 2), bytes[16] == UInt8(ascii: ":"),
              let second = decimal(bytes, 17, 2)
        else { throw TimestampParseError(.malformed) }
        let (year, month, day) = try parseDate(bytes)

        var index = 19
        var microsecond = 0
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            let digitsStart = index + 1
            index = digitsStart
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
            let digitCount = index - digitsStart
            guard digitCount > 0 else { throw TimestampParseError(.malformed) }
            guard digitCount <= 9 else { throw TimestampParseError(.fractionTooLong) }
            // Truncate to 6 digits, then scale up when fewer were given.
            let kept = min(digitCount, 6)
            microsecond = decimal(bytes, digitsStart, kept)! * powerOfTen(6 - kept)
        }

        guard index < bytes.count else { throw TimestampParseError(.missingOffset) }
        let offsetSeconds: Int
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            offsetSeconds = 0
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let offsetHour = decimal(bytes, index + 1, 2), index + 3 < bytes.count,
                  bytes[index + 3] == UInt8(ascii: ":"), let offsetMinute = decimal(bytes, index + 4, 2)
            else { throw TimestampParseError(.malformed) }
            guard offsetHour < 24, offsetMinute < 60 else { throw TimestampParseError(.invalidOffset) }
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
            index += 6
        default:
            throw TimestampParseError(.malformed)
        }
        guard index == bytes.count else { throw TimestampParseError(.malformed) }

        if second == 60 { throw TimestampParseError(.leapSecond) }
        guard let local = Timestamp(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, microsecond: microsecond)
        else { throw TimestampParseError(.invalidTime) }
        let utc = local.adding(seconds: Int64(-offsetSeconds))
        guard utc >= minimum, utc <= maximum else { throw TimestampParseError(.outOfRange) }
        return utc
    }

    /// `parseRFC3339`, returning `nil` on any error.
    public init?(rfc3339 text: some StringProtocol) {
        guard let parsed = try? Self.parseRFC3339(text) else { return nil }
        self = parsed
    }

    /// For query strings (`from=`, `created:2026-11-01..2026-11-21`): an RFC 3339 date-time, or a
    /// bare `YYYY-MM-DD` meaning the start of that day in UTC.
    public static func parseDateOrTime(_ text: some StringProtocol) throws(TimestampParseError) -> Timestamp {
        let bytes = Array(text.utf8)
        guard bytes.count == 10 else { return try parseRFC3339(text) }
        let (year, month, day) = try parseDate(bytes)
        // parseDate has checked every field, so this cannot fail.
        return Timestamp(year: year, month: month, day: day)!
    }

    /// The instant in UTC: `YYYY-MM-DDThh:mm:ss[.f]Z`, uppercase `T` and `Z`.
    ///
    /// One deterministic rule: the fraction is omitted when the microseconds are zero, and
    /// otherwise written with up to 6 digits, trailing zeros removed (`.5`, `.123`, `.000001`).
    /// So every timestamp has exactly one text, and `parseRFC3339(t.rfc3339) == t`. Texts do not
    /// sort in time order (`…:00.5Z` < `…:00Z`): compare `Timestamp`s, not strings.
    public var rfc3339: String {
        let fields = utcComponents
        var text = pad(fields.year, 4) + "-" + pad(fields.month, 2) + "-" + pad(fields.day, 2)
        text += "T" + pad(fields.hour, 2) + ":" + pad(fields.minute, 2) + ":" + pad(fields.second, 2)
        if fields.microsecond != 0 {
            var fraction = pad(fields.microsecond, 6)
            while fraction.last == "0" { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    /// Reads and validates `YYYY-MM-DD` at the start of `bytes`.
    private static func parseDate(_ bytes: [UInt8]) throws(TimestampParseError) -> (year: Int, month: Int, day: Int) {
        guard bytes.count >= 10, let year = decimal(bytes, 0, 4), bytes[4] == UInt8(ascii: "-"),
              let month = decimal(bytes, 5, 2), bytes[7] == UInt8(ascii: "-"), let day = decimal(bytes, 8, 2)
        else { throw TimestampParseError(.malformed) }
        guard year >= 1 else { throw TimestampParseError(.outOfRange) }
        guard (1...12).contains(month), (1...daysInMonth(year: year, month: month)).contains(day) else {
            throw TimestampParseError(.invalidDate)
        }
        return (year, month, day)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The unsigned decimal in `bytes[start..<start+count]`, or `nil` if it is short or not all digits.
    private static func decimal(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<(start + count)] {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func powerOfTen(_ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { result, _ in result * 10 }
    }

    /// `value` in decimal, zero-padded to `width` digits, with a leading `-` when negative.
    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }
}

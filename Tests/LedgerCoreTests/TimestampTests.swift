import Testing
@testable import LedgerCore

struct TimestampCase: Sendable, CustomTestStringConvertible {
    let input: String
    /// The expected UTC text, or the expected rejection.
    let expected: Result<String, TimestampParseError>

    init(_ input: String, _ utc: String) {
        self.input = input
        self.expected = .success(utc)
    }

    init(_ input: String, _ reason: TimestampParseError.Reason) {
        self.input = input
        self.expected = .failure(TimestampParseError(reason))
    }

    var testDescription: String { input }
}

let rfc3339Cases: [TimestampCase] = [
    TimestampCase("2026-11-21T10:00:00Z", "2026-11-21T10:00:00Z"),
    TimestampCase("2026-11-21t10:00:00z", "2026-11-21T10:00:00Z"),
    TimestampCase("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
    TimestampCase("2026-11-21T12:30:00+02:30", "2026-11-21T10:00:00Z"),
    TimestampCase("2026-11-21T05:00:00-05:00", "2026-11-21T10:00:00Z"),
    TimestampCase("2026-11-21T10:00:00-00:00", "2026-11-21T10:00:00Z"),
    TimestampCase("2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00Z"),
    TimestampCase("2026-12-31T23:00:00-02:00", "2027-01-01T01:00:00Z"),
    TimestampCase("2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z"),
    TimestampCase("2000-02-29T00:00:00Z", "2000-02-29T00:00:00Z"),
    TimestampCase("2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00Z"),
    TimestampCase("2026-11-21T10:00:00.5Z", "2026-11-21T10:00:00.5Z"),
    TimestampCase("2026-11-21T10:00:00.000Z", "2026-11-21T10:00:00Z"),
    TimestampCase("2026-11-21T10:00:00.123456Z", "2026-11-21T10:00:00.123456Z"),
    TimestampCase("2026-11-21T10:00:00.123456789Z", "2026-11-21T10:00:00.123456Z"),
    TimestampCase("2026-11-21T10:00:00.000001Z", "2026-11-21T10:00:00.000001Z"),
    TimestampCase("2026-11-21T10:00:00.0000009Z", "2026-11-21T10:00:00Z"),
    TimestampCase("1969-12-31T23:59:59.999999Z", "1969-12-31T23:59:59.999999Z"),
    TimestampCase("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
    TimestampCase("9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999Z"),
    TimestampCase("1900-03-01T00:00:00Z", "1900-03-01T00:00:00Z"),
    TimestampCase("2026-11-21", .malformed),
    TimestampCase("2026-11-21T10:00:00", .missingOffset),
    TimestampCase("2026-11-21T10:00:00.5", .missingOffset),
    TimestampCase("2026-11-21 10:00:00Z", .malformed),
    TimestampCase("2026-11-21T10:00Z", .malformed),
    TimestampCase("2026-11-21T10:00:00.Z", .malformed),
    TimestampCase("2026-11-21T10:00:00.1234567890Z", .fractionTooLong),
    TimestampCase("2026-11-21T10:00:00+0200", .malformed),
    TimestampCase("2026-11-21T10:00:00+02", .malformed),
    TimestampCase("2026-11-21T10:00:00+24:00", .invalidOffset),
    TimestampCase("2026-11-21T10:00:00+02:60", .invalidOffset),
    TimestampCase("2026-11-21T10:00:00Zjunk", .malformed),
    TimestampCase("2026-11-21T10:00:00UTC", .malformed),
    TimestampCase("2026-02-30T10:00:00Z", .invalidDate),
    TimestampCase("2026-02-29T10:00:00Z", .invalidDate),
    TimestampCase("1900-02-29T10:00:00Z", .invalidDate),
    TimestampCase("2026-04-31T10:00:00Z", .invalidDate),
    TimestampCase("2026-13-01T10:00:00Z", .invalidDate),
    TimestampCase("2026-00-10T10:00:00Z", .invalidDate),
    TimestampCase("2026-11-00T10:00:00Z", .invalidDate),
    TimestampCase("2026-11-21T24:00:00Z", .invalidTime),
    TimestampCase("2026-11-21T10:60:00Z", .invalidTime),
    TimestampCase("2016-12-31T23:59:60Z", .leapSecond),
    TimestampCase("0000-01-01T00:00:00Z", .outOfRange),
    TimestampCase("0001-01-01T00:30:00+01:00", .outOfRange),
    TimestampCase("9999-12-31T23:30:00-01:00", .outOfRange),
    TimestampCase("+2026-11-21T10:00:00Z", .malformed),
    TimestampCase("２０２６-11-21T10:00:00Z", .malformed),
    TimestampCase("", .malformed),
]

@Suite struct TimestampTests {
    @Test(arguments: rfc3339Cases)
    func parsesRFC3339(_ testCase: TimestampCase) throws {
        let parsed = Result { () throws(TimestampParseError) in try Timestamp.parseRFC3339(testCase.input) }
        #expect(parsed.map(\.rfc3339) == testCase.expected)
        if case .success(let timestamp) = parsed {
            #expect(try Timestamp.parseRFC3339(timestamp.rfc3339) == timestamp)
        }
    }

    @Test func knownInstants() throws {
        #expect(try Timestamp.parseRFC3339("1970-01-01T00:00:00Z").microseconds == 0)
        #expect(try Timestamp.parseRFC3339("2026-11-21T10:00:00Z").microseconds == 1_795_255_200_000_000)
        #expect(try Timestamp.parseRFC3339("1969-12-31T23:59:59.999999Z").microseconds == -1)
        #expect(try Timestamp.parseRFC3339("0001-01-01T00:00:00Z") == Timestamp.minimum)
        #expect(try Timestamp.parseRFC3339("9999-12-31T23:59:59.999999Z") == Timestamp.maximum)
    }

    @Test func dateOrTimeAcceptsABareDateAsStartOfUTCDay() throws {
        #expect(try Timestamp.parseDateOrTime("2026-11-21").rfc3339 == "2026-11-21T00:00:00Z")
        #expect(try Timestamp.parseDateOrTime("2026-11-21T10:00:00+01:00").rfc3339 == "2026-11-21T09:00:00Z")
        #expect(throws: TimestampParseError(.invalidDate)) { try Timestamp.parseDateOrTime("2026-02-30") }
        #expect(throws: TimestampParseError(.malformed)) { try Timestamp.parseDateOrTime("2026/11/21") }
        #expect(throws: TimestampParseError(.outOfRange)) { try Timestamp.parseDateOrTime("0000-01-01") }
        #expect(throws: TimestampParseError(.malformed)) { try Timestamp.parseDateOrTime("yesterday") }
    }

    @Test func civilConversionMatchesDayByDayCounting() {
        // Walk every day from 1968 to 2032 and check the integer formulas against a plain count.
        var expectedDays = Int64(Timestamp.daysFromCivil(year: 1968, month: 1, day: 1))
        for year in 1968...2032 {
            for month in 1...12 {
                for day in 1...Timestamp.daysInMonth(year: year, month: month) {
                    let days = Timestamp.daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
                    #expect(days == expectedDays)
                    #expect(Timestamp.civilFromDays(days) == (Int64(year), Int64(month), Int64(day)))
                    expectedDays += 1
                }
            }
        }
        #expect(Timestamp.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
    }

    @Test func componentsArrivesAtTheRightFields() throws {
        let fields = Timestamp(microseconds: -1).utcComponents
        #expect(fields.year == 1969 && fields.month == 12 && fields.day == 31)
        #expect(fields.hour == 23 && fields.minute == 59 && fields.second == 59 && fields.microsecond == 999_999)
        #expect(Timestamp(year: 2026, month: 2, day: 29) == nil)
        #expect(Timestamp(year: 2026, month: 11, day: 21, hour: 10) == (try Timestamp.parseRFC3339("2026-11-21T10:00:00Z")))
    }

    @Test func arithmeticOrderingAndClocks() throws {
        let start = try Timestamp.parseRFC3339("2026-11-21T10:00:00Z")
        #expect(start.adding(seconds: 300).rfc3339 == "2026-11-21T10:05:00Z")
        #expect(start.adding(seconds: -86_400).rfc3339 == "2026-11-20T10:00:00Z")
        #expect(start.adding(microseconds: 1).rfc3339 == "2026-11-21T10:00:00.000001Z")
        #expect(start < start.adding(microseconds: 1))
        #expect(Timestamp.now(FixedTimestampClock(start)) == start)
        #expect("\(start)" == "2026-11-21T10:00:00Z")
        #expect(Timestamp(rfc3339: "nope") == nil)
        // The system clock is read only here, to check it is wired to real time at all.
        #expect(SystemTimestampClock().now() > start.adding(seconds: -86_400 * 365 * 5))
    }

    @Test func errorMessagesAreReadable() {
        #expect(TimestampParseError(.missingOffset).description == "missing UTC offset: end the time with Z or ±hh:mm")
        #expect(TimestampParseError(.leapSecond).description == "leap seconds (second 60) are not supported")
    }
}

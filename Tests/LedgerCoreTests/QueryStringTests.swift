import LedgerCore
import Testing

@Suite struct QueryStringTests {
    func parse(_ text: String) throws -> SearchQuery {
        var query = SearchQuery(account: "acme")
        try QueryString.parse(text, into: &query)
        return query
    }

    @Test func gitHubStyleQualifiers() throws {
        let query = try parse(#"name:stack.*,user.login actor:u_42 country:gb city:"New York" ip:10.0.0.0/8 target:stack:prod outcome:failure created:2026-11-01..2026-11-21 disk "full now""#)
        #expect(query.names == [.prefix("stack."), .exact("user.login")])
        #expect(query.actor == "u_42")
        #expect(query.country == "GB")
        #expect(query.city == "New York")
        #expect(query.ipNetwork == IPNetwork("10.0.0.0/8"))
        #expect(query.target == TargetFilter(type: "stack", id: "prod"))
        #expect(query.outcome == .failure)
        // Dates in a range are inclusive, as on GitHub: the range ends at the start of Nov 22.
        #expect(query.from == Timestamp(rfc3339: "2026-11-01T00:00:00Z"))
        #expect(query.to == Timestamp(rfc3339: "2026-11-22T00:00:00Z"))
        #expect(query.text == "disk full now")
    }

    @Test func comparisonsAndSingleDays() throws {
        #expect(try parse("created:>=2026-11-01").from == Timestamp(rfc3339: "2026-11-01T00:00:00Z"))
        #expect(try parse("created:>2026-11-01").from == Timestamp(rfc3339: "2026-11-02T00:00:00Z"))
        #expect(try parse("created:<2026-11-01").to == Timestamp(rfc3339: "2026-11-01T00:00:00Z"))
        #expect(try parse("created:<=2026-11-01").to == Timestamp(rfc3339: "2026-11-02T00:00:00Z"))
        let day = try parse("created:2026-11-05")
        #expect(day.from == Timestamp(rfc3339: "2026-11-05T00:00:00Z") && day.to == Timestamp(rfc3339: "2026-11-06T00:00:00Z"))
        let open = try parse("created:2026-11-05T10:00:00Z..*")
        #expect(open.from == Timestamp(rfc3339: "2026-11-05T10:00:00Z") && open.to == nil)
    }

    @Test(arguments: [
        "name:Stack", "country:GBR", "ip:300.1.1.1", "target:nocolon", "outcome:maybe", "created:yesterday",
        "created:2026-13-01", "colour:red", "name:", #"unterminated "quote"#,
    ])
    func badQueriesAreRefused(_ text: String) {
        #expect(throws: QuerySyntaxError.self) { try parse(text) }
    }

    @Test func quotedTextWithAColonIsFreeText() throws {
        #expect(try parse(#""error: timeout""#).text == "error: timeout")
    }
}

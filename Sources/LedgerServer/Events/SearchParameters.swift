import LedgerCore

/// `GET /v1/events`'s query parameters: each filter of PRODUCT.md's search, and `query` for
/// the same filters written as one string. A filter given both ways must agree, since the
/// two are AND-ed.
enum SearchParameters {
    static let names: Set<String> = [
        "account", "name", "actor", "from", "to", "outcome", "country", "city", "ip", "target", "q", "query",
        "limit", "cursor",
    ]

    /// The search, and the filters as given (recorded with the search event).
    static func query(_ parameters: QueryParameters, account: String) throws(APIError) -> (SearchQuery, JSONObject) {
        var query = SearchQuery(account: account)
        var recorded = JSONObject()
        for name in ["name", "actor", "from", "to", "outcome", "country", "city", "ip", "target", "q", "query", "limit"] {
            let values = parameters.all(name)
            if values.count == 1 { recorded[name] = .string(values[0]) }
            if values.count > 1 { recorded[name] = .array(values.map(JSONValue.string)) }
        }

        for value in parameters.all("name") {
            for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                guard let filter = NameFilter(String(part)) else {
                    throw APIError.invalidParameter("name", "\(part) is not an activity name (lowercase dotted words, or family.*)")
                }
                query.names.append(filter)
            }
        }
        if let actor = try parameters.single("actor") {
            guard (1...EventRules.maxActorIDLength).contains(actor.utf8.count) else {
                throw APIError.invalidParameter("actor", "must be 1–256 bytes")
            }
            query.actor = actor
        }
        query.from = try parameters.time("from")
        query.to = try parameters.time("to")
        if let text = try parameters.single("outcome") {
            guard let outcome = Outcome(name: text) else { throw APIError.invalidParameter("outcome", "must be success or failure") }
            query.outcome = outcome
        }
        if let country = try parameters.single("country") {
            guard country.utf8.count == 2, country.utf8.allSatisfy({ ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }) else {
                throw APIError.invalidParameter("country", "must be a two-letter ISO 3166 country code")
            }
            query.country = country.uppercased()
        }
        if let city = try parameters.single("city") {
            guard !city.isEmpty, city.utf8.count <= 256 else { throw APIError.invalidParameter("city", "must be 1–256 bytes") }
            query.city = city
        }
        if let ip = try parameters.single("ip") {
            guard let network = IPNetwork(ip) else { throw APIError.invalidParameter("ip", "must be an IP address or CIDR block") }
            query.ipNetwork = network
        }
        if let target = try parameters.single("target") {
            guard let filter = TargetFilter(target) else { throw APIError.invalidParameter("target", "must be type:id") }
            query.target = filter
        }
        if let text = try parameters.single("q"), !text.trimmingSpaces.isEmpty {
            query.text = text
        }
        if let text = try parameters.single("query") {
            let before = query
            do {
                try QueryString.parse(text, into: &query)
            } catch {
                throw APIError.badRequest("invalid_query", error.description)
            }
            try checkAgreement(before, query)
        }
        if let limit = try parameters.integer("limit", in: 1...SearchQuery.maxLimit) { query.limit = limit }
        if let cursor = try parameters.single("cursor") {
            guard let position = SearchCursor(token: cursor) else {
                throw APIError.badRequest("invalid_cursor", "cursor is not one this server issued")
            }
            query.cursor = position
        }
        if let from = query.from, let to = query.to, from >= to {
            throw APIError.invalidParameter("to", "must be later than from")
        }
        return (query, recorded)
    }

    /// A single-valued filter set by a parameter and changed by the query string would be
    /// silently overridden; refuse it instead.
    private static func checkAgreement(_ before: SearchQuery, _ after: SearchQuery) throws(APIError) {
        func check<T: Equatable>(_ name: String, _ old: T?, _ new: T?) throws(APIError) {
            if let old, old != new { throw APIError.badRequest("invalid_query", "\(name) is given both as a parameter and in query, differently") }
        }
        try check("actor", before.actor, after.actor)
        try check("from", before.from, after.from)
        try check("to", before.to, after.to)
        try check("outcome", before.outcome, after.outcome)
        try check("country", before.country, after.country)
        try check("city", before.city, after.city)
        try check("ip", before.ipNetwork, after.ipNetwork)
        try check("target", before.target, after.target)
    }
}

private extension String {
    var trimmingSpaces: Substring {
        let start = firstIndex { $0 != " " } ?? endIndex
        return self[start...]
    }
}

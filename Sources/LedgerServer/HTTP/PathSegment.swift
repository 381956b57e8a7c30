/// Decodes a percent-encoded path segment strictly. A `+` in a path is a literal plus (the
/// space rule is for query strings), so it is escaped before the shared decoder runs.
enum PathSegment {
    static func decode(_ segment: String) throws(APIError) -> String {
        let plusesEscaped = segment.split(separator: "+", omittingEmptySubsequences: false).joined(separator: "%2B")
        return try QueryParameters.decode(plusesEscaped[...], parameter: "path")
    }
}

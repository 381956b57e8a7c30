import HTTPTypes
import HummingbirdTesting
import LedgerCore
@testable import LedgerServer
import NIOCore
import Testing

/// Malformed requests of every kind: each gets its documented 4xx and error code, stores
/// nothing, and leaves the server answering.
@Suite("Bad input")
struct BadInputTests {
    enum Token { case none, ingest, read, platform }

    struct Case: Sendable, CustomStringConvertible {
        var label: String
        var method: HTTPRequest.Method = .post
        var uri: String = "/v1/events"
        var token: Token = .ingest
        var contentType: String? = "application/json"
        var body: [UInt8]? = nil
        var headers: HTTPFields = [:]
        var status: HTTPResponse.Status
        var code: String
        var description: String { label }

        init(_ label: String, method: HTTPRequest.Method = .post, uri: String = "/v1/events", token: Token = .ingest,
             contentType: String? = "application/json", body: String? = nil, bytes: [UInt8]? = nil,
             headers: HTTPFields = [:], status: HTTPResponse.Status, code: String) {
            self.label = label
            self.method = method
            self.uri = uri
            self.token = token
            self.contentType = contentType
            self.body = bytes ?? body.map { Array($0.utf8) }
            self.headers = headers
            self.status = status
            self.code = code
        }
    }

    static let valid = Body.event()
    static let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    static let deepMetadata = Body.event(extra: #""metadata":"# + String(repeating: #"{"a":"#, count: 10) + "1" + String(repeating: "}", count: 10))

    static let cases: [Case] = [
        // Body syntax
        Case("empty body", body: "", status: .badRequest, code: "invalid_json"),
        Case("truncated JSON", body: "{\"name\":", status: .badRequest, code: "invalid_json"),
        Case("trailing garbage", body: valid + "x", status: .badRequest, code: "invalid_json"),
        Case("two objects", body: valid + valid, status: .badRequest, code: "invalid_json"),
        Case("single quotes", body: "{'name':'a.b'}", status: .badRequest, code: "invalid_json"),
        Case("trailing comma", body: "{\"name\":\"a.b\",}", status: .badRequest, code: "invalid_json"),
        Case("invalid UTF-8", bytes: Array("{\"name\":\"a.b\",\"actor\":{\"id\":\"".utf8) + [0xC3, 0x28] + Array("\"}}".utf8), status: .badRequest, code: "invalid_json"),
        Case("overlong UTF-8", bytes: Array("{\"name\":\"".utf8) + [0xC0, 0xAF] + Array("\"}".utf8), status: .badRequest, code: "invalid_json"),
        Case("raw NUL byte", bytes: Array("{\"name\":\"a".utf8) + [0] + Array("\"}".utf8), status: .badRequest, code: "invalid_json"),
        Case("escaped NUL", body: Body.event(description: "a\\u0000b"), status: .badRequest, code: "invalid_json"),
        Case("lone surrogate", body: Body.event(description: "\\ud800"), status: .badRequest, code: "invalid_json"),
        Case("pathological nesting", body: deep, status: .badRequest, code: "invalid_json"),
        Case("duplicate keys", body: "{\"name\":\"a.b\",\"name\":\"c.d\",\"actor\":{\"id\":\"u\"}}", status: .badRequest, code: "invalid_json"),
        Case("leading zero", body: Body.event(extra: "\"metadata\":{\"n\":01}"), status: .badRequest, code: "invalid_json"),
        Case("comment", body: "/* hi */" + valid, status: .badRequest, code: "invalid_json"),
        // Event rules
        Case("scalar body", body: "42", status: .badRequest, code: "invalid_events"),
        Case("empty array", body: "[]", status: .badRequest, code: "invalid_events"),
        Case("array of scalars", body: "[1,2]", status: .badRequest, code: "invalid_events"),
        Case("unknown field", body: Body.event(extra: "\"colour\":\"red\""), status: .badRequest, code: "invalid_events"),
        Case("unknown actor field", body: "{\"name\":\"a.b\",\"actor\":{\"id\":\"u\",\"age\":3}}", status: .badRequest, code: "invalid_events"),
        Case("missing name", body: "{\"actor\":{\"id\":\"u\"}}", status: .badRequest, code: "invalid_events"),
        Case("name wrong type", body: "{\"name\":7,\"actor\":{\"id\":\"u\"}}", status: .badRequest, code: "invalid_events"),
        Case("upper-case name", body: Body.event("Stack.Deploy"), status: .badRequest, code: "invalid_events"),
        Case("missing actor", body: "{\"name\":\"a.b\"}", status: .badRequest, code: "invalid_events"),
        Case("actor is a string", body: "{\"name\":\"a.b\",\"actor\":\"u\"}", status: .badRequest, code: "invalid_events"),
        Case("bad IP", body: Body.event(ip: "10.0.0.256"), status: .badRequest, code: "invalid_events"),
        Case("CIDR as IP", body: Body.event(ip: "10.0.0.0/8"), status: .badRequest, code: "invalid_events"),
        Case("bad time", body: Body.event(extra: "\"occurred_at\":\"yesterday\"").replacingOccurrences(of: "\"occurred_at\":\"2026-11-20T10:00:00Z\",", with: ""), status: .badRequest, code: "invalid_events"),
        Case("time far in the future", body: Body.event().replacingOccurrences(of: "2026-11-20T10:00:00Z", with: "2099-01-01T00:00:00Z"), status: .badRequest, code: "invalid_events"),
        Case("bad outcome", body: Body.event(extra: "\"outcome\":\"maybe\""), status: .badRequest, code: "invalid_events"),
        Case("too many targets", body: Body.event(extra: "\"targets\":[" + Array(repeating: "{\"type\":\"a\",\"id\":\"b\"}", count: 11).joined(separator: ",") + "]"), status: .badRequest, code: "invalid_events"),
        Case("metadata too deep", body: deepMetadata, status: .badRequest, code: "invalid_events"),
        Case("metadata not an object", body: Body.event(extra: "\"metadata\":[1]"), status: .badRequest, code: "invalid_events"),
        Case("description too long", body: Body.event(description: String(repeating: "x", count: 2049)), status: .badRequest, code: "invalid_events"),
        Case("bad client id", body: Body.event(id: "has space"), status: .badRequest, code: "invalid_events"),
        Case("bad account", body: Body.event(account: "Acme!"), status: .badRequest, code: "invalid_events"),
        Case("too many items", body: Body.batch(Array(repeating: valid, count: 1001)), status: .badRequest, code: "invalid_events"),
        Case("idempotency key on a batch", body: Body.batch([valid]), headers: [.idempotencyKey: "k"], status: .badRequest, code: "invalid_events"),
        Case("idempotency key differs from id", body: Body.event(id: "a"), headers: [.idempotencyKey: "b"], status: .badRequest, code: "invalid_events"),
        Case("NDJSON with a bad line", contentType: "application/x-ndjson", body: valid + "\n[\n", status: .badRequest, code: "invalid_json"),
        Case("platform token without account", token: .platform, body: valid, status: .badRequest, code: "invalid_events"),
        // Transport
        Case("oversize body", body: "[" + String(repeating: " ", count: EventIntake.maxBodyBytes) + "]", status: .contentTooLarge, code: "payload_too_large"),
        Case("form content type", contentType: "application/x-www-form-urlencoded", body: valid, status: .unsupportedMediaType, code: "unsupported_media_type"),
        Case("XML content type", contentType: "application/xml", body: "<event/>", status: .unsupportedMediaType, code: "unsupported_media_type"),
        Case("no token", token: .none, body: valid, status: .unauthorized, code: "unauthorized"),
        Case("read token posting", token: .read, body: valid, status: .forbidden, code: "forbidden"),
        Case("unknown route", method: .get, uri: "/v1/nothing", status: .notFound, code: "not_found"),
        Case("query on POST", uri: "/v1/events?x=1", body: valid, status: .badRequest, code: "invalid_parameter"),
        // Reads
        Case("bad cursor", method: .get, uri: "/v1/events?cursor=%%%", token: .read, status: .badRequest, code: "invalid_parameter"),
        Case("forged cursor", method: .get, uri: "/v1/events?cursor=AAAA", token: .read, status: .badRequest, code: "invalid_cursor"),
        Case("limit zero", method: .get, uri: "/v1/events?limit=0", token: .read, status: .badRequest, code: "invalid_parameter"),
        Case("limit too big", method: .get, uri: "/v1/events?limit=1001", token: .read, status: .badRequest, code: "invalid_parameter"),
        Case("limit not a number", method: .get, uri: "/v1/events?limit=ten", token: .read, status: .badRequest, code: "invalid_parameter"),
        Case("bad CIDR", method: .get, uri: "/v1/events?ip=10.0.0.0/33", token: .read, status: .badRequest, code: "invalid_parameter"),
        Case("bad name filter", method: .get, uri: "/v1/events?name=Stack*", token: .read, status: .badRequest, code: "invalid_parameter"),
        Case("bad time filter", method: .get, uri: "/v1/events?from=last+week", token: .read, status: .badRequest, code: "invalid_parameter"),
        Case("unknown qualifier", method: .get, uri: "/v1/events?query=colour:red", token: .read, status: .badRequest, code: "invalid_query"),
        Case("unterminated quote", method: .get, uri: "/v1/events?query=%22disk", token: .read, status: .badRequest, code: "invalid_query"),
        Case("unknown parameter", method: .get, uri: "/v1/events?nmae=a.b", token: .read, status: .badRequest, code: "invalid_parameter"),
        Case("repeated single parameter", method: .get, uri: "/v1/events?actor=a&actor=b", token: .read, status: .badRequest, code: "invalid_parameter"),
        Case("invalid UTF-8 in query", method: .get, uri: "/v1/events?q=%C3%28", token: .read, status: .badRequest, code: "invalid_parameter"),
        Case("NUL in query", method: .get, uri: "/v1/events?q=a%00b", token: .read, status: .badRequest, code: "invalid_parameter"),
        Case("huge query string", method: .get, uri: "/v1/events?q=" + String(repeating: "a", count: 9000), token: .read, status: .uriTooLong, code: "uri_too_long"),
        Case("bad export format", method: .get, uri: "/v1/export?format=xlsx", token: .read, status: .badRequest, code: "invalid_parameter"),
        Case("negative seq", method: .get, uri: "/v1/proofs/inclusion?seq=-1", token: .read, status: .badRequest, code: "invalid_parameter"),
        Case("tree larger than ledger", method: .get, uri: "/v1/proofs/consistency?first=0&second=99", token: .read, status: .badRequest, code: "invalid_tree_size"),
        Case("bad stream wait", method: .get, uri: "/v1/stream?wait=3600", token: .read, status: .badRequest, code: "invalid_parameter"),
        Case("bad path escape", method: .get, uri: "/v1/events/%zz", token: .read, status: .badRequest, code: "invalid_parameter"),
    ]

    @Test(arguments: cases)
    func refusedWithoutStoringAndServerKeepsServing(_ testCase: Case) async throws {
        try await TestServer.run { server, client in
            _ = try await client.post(Body.event(id: "existing"), token: server.ingestA)
            let before = try await server.eventCount()
            var headers = testCase.headers
            let token: String? = switch testCase.token {
            case .none: nil
            case .ingest: server.ingestA
            case .read: server.readA
            case .platform: server.ingestAny
            }
            if let token { headers[.authorization] = "Bearer \(token)" }
            if testCase.body != nil, let contentType = testCase.contentType { headers[.contentType] = contentType }
            let response = try await client.executeRequest(uri: testCase.uri, method: testCase.method, headers: headers,
                                                           body: testCase.body.map { ByteBuffer(bytes: $0) })
            #expect(response.status == testCase.status)
            #expect(response.errorCode == testCase.code, "body: \(response.text.prefix(300))")
            #expect(response.headers[.contentType] == "application/json")
            // Not even a record of a refused read.
            #expect(try await server.eventCount() == before)
            #expect(try await client.get("/healthz").status == .ok)
        }
    }

    @Test func tableHasAtLeastFortyCases() {
        #expect(Self.cases.count >= 40)
        #expect(Set(Self.cases.map(\.label)).count == Self.cases.count)
    }
}

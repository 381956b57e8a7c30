import Foundation
import GeoIP
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
@testable import LedgerServer
import LedgerStore
import Logging
import NIOCore
import Testing

/// A ledger in a fresh temporary directory with its signing key and tokens for two accounts,
/// served through the real router. The application's shutdown service closes the ledger when
/// a test ends.
final class TestServer: @unchecked Sendable {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtureGeoDatabase = packageRoot.appendingPathComponent("fixtures/geo/AuditLedger-City-Test.mmdb").path

    let directory: URL
    let path: String
    let ledger: SQLiteLedger
    let metrics = ServerMetrics()
    /// The ledger's signing key, as `init` would create it.
    let signer: NoteSigner
    let checkpoints: SignedCheckpoints
    var ingestA = "", readA = "", ingestB = "", readB = "", ingestAny = "", readAny = "", adminAny = "", adminA = ""

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("auditledger-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("ledger.sqlite").path
        ledger = try SQLiteLedger(path: path)
        signer = try NoteSigner.generate(name: "auditledger.test/server")
        try await ledger.setIdentity(LedgerIdentity(signer: signer))
        checkpoints = await SignedCheckpoints(service: try await CheckpointService(repository: ledger, signer: signer))
        ingestA = try await ledger.createToken(account: "acme", scope: .ingest, name: "acme ingest").secret
        readA = try await ledger.createToken(account: "acme", scope: .read, name: "acme owner").secret
        ingestB = try await ledger.createToken(account: "globex", scope: .ingest, name: nil).secret
        readB = try await ledger.createToken(account: "globex", scope: .read, name: nil).secret
        ingestAny = try await ledger.createToken(account: "*", scope: .ingest, name: "platform").secret
        readAny = try await ledger.createToken(account: "*", scope: .read, name: "auditor").secret
        adminAny = try await ledger.createToken(account: "*", scope: .admin, name: "ops").secret
        adminA = try await ledger.createToken(account: "acme", scope: .admin, name: "acme admin").secret
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    var dependencies: ServerDependencies {
        get throws {
            let geo = try GeoIPDatabase(path: Self.fixtureGeoDatabase)
            var logger = Logger(label: "auditledger-test")
            logger.logLevel = .warning
            return ServerDependencies(ledger: ledger, tokens: ledger, enricher: GeoEnricher(locator: geo), metrics: metrics,
                                      checkpoints: checkpoints, logger: logger)
        }
    }

    /// Runs `body` against the router (no sockets), or over loopback with `.live`, then closes the ledger.
    static func run(_ mode: TestingSetup = .router,
                    _ body: @Sendable (TestServer, any TestClientProtocol) async throws -> Void) async throws {
        let server = try await TestServer()
        let app = buildApplication(try server.dependencies, configuration: ServerConfiguration(port: 0))
        try await app.test(mode) { client in try await body(server, client) }
    }

    /// Events stored in the whole ledger.
    func eventCount() async throws -> UInt64 { try await ledger.status().events }
}

/// Requests in one line each.
extension TestClientProtocol {
    func request(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: String? = nil,
                 contentType: String? = "application/json", headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil, let contentType { headers[.contentType] = contentType }
        return try await executeRequest(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    func post(_ body: String, token: String, contentType: String? = "application/json", headers: HTTPFields = [:]) async throws -> TestResponse {
        try await request(.post, "/v1/events", token: token, body: body, contentType: contentType, headers: headers)
    }

    func get(_ uri: String, token: String? = nil) async throws -> TestResponse {
        try await request(.get, uri, token: token)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    var json: JSONValue {
        get throws { try JSONParser().parse(Array(body.readableBytesView)) }
    }

    /// The `error.code` of an error body, or nil when the body is not one.
    var errorCode: String? { (try? json)?["error"]?["code"]?.stringValue }
}

/// Event bodies for tests.
enum Body {
    static func event(_ name: String = "stack.deploy", id: String? = nil, account: String? = nil, actor: String = "u_42",
                      ip: String? = "81.2.69.160", description: String? = nil, extra: String = "") -> String {
        var fields = ["\"name\":\"\(name)\"", "\"actor\":{\"id\":\"\(actor)\",\"name\":\"Jane\"}",
                      "\"occurred_at\":\"2026-11-20T10:00:00Z\""]
        if let id { fields.append("\"id\":\"\(id)\"") }
        if let account { fields.append("\"account\":\"\(account)\"") }
        if let ip { fields.append("\"ip\":\"\(ip)\"") }
        if let description { fields.append("\"description\":\"\(description)\"") }
        if !extra.isEmpty { fields.append(extra) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func batch(_ events: [String]) -> String { "[" + events.joined(separator: ",") + "]" }
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LedgerCore
import PostgresTestSupport
import Testing

/// A node whose PostgreSQL goes away answers 503 with a JSON error (a load balancer retries on
/// another node, a client later), never a 500 or a hang, and recovers by itself once the
/// database is back; nothing it acknowledged is lost.
@Suite("A node whose database goes away", .serialized)
struct DatabaseOutageTests {
    @Test func answers503WhileTheDatabaseIsGoneAndRecoversAfterwards() async throws {
        let ledger = try await PostgresNodeLedger.create(origin: "auditledger.test/outage")
        defer { ledger.remove() }
        let node = try await ServerProcess.start(
            executable: try CrashTests.executable, db: nil,
            arguments: ["--store", ledger.database.url, "--key", ledger.keyPath])
        defer { _ = node.stop() }
        try await ServeProcessTests.post(10, prefix: "before-", to: node, token: ledger.ingest)

        try await PostgresTestCluster.shared.setConnections(allowed: false, database: ledger.database.name)
        for (method, path, body) in [("POST", "/v1/events", #"{"id":"during","name":"serve.test","actor":{"id":"u"}}"#),
                                     ("GET", "/v1/events?limit=10", nil), ("GET", "/v1/export", nil), ("GET", "/healthz", nil)] {
            let started = ContinuousClock.now
            let token = method == "POST" ? ledger.ingest : ledger.read
            let (status, data) = try await ServeProcessTests.request(node.url(path), method: method, token: token, body: body)
            #expect(status == 503, "\(method) \(path): \(String(decoding: data, as: UTF8.self))")
            let error = try JSONParser().parse(Array(data))["error"]
            #expect(error?["code"]?.stringValue == "store_unavailable", "\(method) \(path)")
            #expect(ContinuousClock.now - started < .seconds(8), "\(method) \(path) answered without hanging")
        }

        try await PostgresTestCluster.shared.setConnections(allowed: true, database: ledger.database.name)
        var recovered = false
        for _ in 0..<50 where !recovered {
            let (status, _) = try await ServeProcessTests.request(
                node.url("/v1/events"), method: "POST", token: ledger.ingest,
                body: #"{"id":"after","name":"serve.test","actor":{"id":"u"}}"#)
            recovered = status == 201
            if !recovered { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(recovered, "the node writes again once the database is back")
        let (status, data) = try await ServeProcessTests.request(node.url("/v1/events?limit=100"), token: ledger.read)
        #expect(status == 200)
        let ids = try #require(try JSONParser().parse(Array(data))["events"]?.arrayValue).compactMap { $0["id"]?.stringValue }
        #expect(Set(ids).isSuperset(of: (0..<10).map { "before-\($0)" } + ["after"]))
    }
}

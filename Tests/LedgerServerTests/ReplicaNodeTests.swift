import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LedgerCore
import LedgerPostgres
import LedgerStore
import PostgresTestSupport
import Testing

/// `serve --read-replica`: a node that writes to the primary and reads from a streaming
/// replica answers reads with everything it acknowledged; the CLI reads a replica directly.
@Suite("Reads from a PostgreSQL streaming replica", .serialized)
struct ReplicaNodeTests {
    @Test func aNodeReadingFromAReplicaSeesItsOwnWrites() async throws {
        let ledger = try await PostgresNodeLedger.create(origin: "auditledger.test/replica")
        defer { ledger.remove() }
        let (primary, keyPath, ingest, read) = (ledger.database, ledger.keyPath, ledger.ingest, ledger.read)
        let replicaURL = try await PostgresTestCluster.shared.replicaURL(database: primary.name)
        try await PostgresTestCluster.shared.waitForReplica(database: primary.name)

        let node = try await ServerProcess.start(
            executable: try CrashTests.executable, db: nil,
            // A generous bound: the other tests' CREATE DATABASEs run through the same replica.
            arguments: ["--store", primary.url, "--key", keyPath, "--read-replica", replicaURL, "--replica-max-lag", "120"])
        for round in 0..<5 {
            try await ServeProcessTests.post(20, prefix: "r\(round)-", to: node, token: ingest)
            // Straight after the 201: the replica may trail, the node waits for it.
            let (status, data) = try await ServeProcessTests.request(node.url("/v1/events?limit=1000"), token: read)
            #expect(status == 200)
            let events = try #require(try JSONParser().parse(Array(data))["events"]?.arrayValue)
            #expect(events.count(where: { $0["name"]?.stringValue == "serve.test" }) == 20 * (round + 1))
        }
        let (exportStatus, export) = try await ServeProcessTests.request(node.url("/v1/export"), token: read)
        #expect(exportStatus == 200)
        #expect(String(decoding: export, as: UTF8.self).split(separator: "\n").count >= 100)
        #expect(node.stop() == 0)

        // The read-only commands run against the replica itself.
        let search = Process()
        search.executableURL = try CrashTests.executable
        search.arguments = ["search", "--store", replicaURL, "--account", "acme", "--name", "serve.test", "--all", "--format", "ndjson"]
        let output = Pipe()
        search.standardOutput = output
        search.standardError = FileHandle.nullDevice
        try search.run()
        let lines = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        search.waitUntilExit()
        #expect(search.terminationStatus == 0)
        #expect(lines.count == 100)
    }
}

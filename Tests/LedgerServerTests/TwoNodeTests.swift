import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LedgerCore
import LedgerPostgres
import LedgerStore
import PostgresTestSupport
import Testing

/// Two `auditledger serve` processes on one PostgreSQL database: one history, whatever node
/// took the request, and a node killed mid-load loses nothing it acknowledged.
@Suite("Several nodes on PostgreSQL", .serialized)
struct TwoNodeTests {
    @Test func twoNodesShareOneDenseHistoryAndSurviveTheDeathOfOne() async throws {
        let ledger = try await PostgresNodeLedger.create(origin: "auditledger.test/nodes")
        defer { ledger.remove() }
        let (database, keyPath, signer, ingest, read) = (ledger.database, ledger.keyPath, ledger.signer, ledger.ingest, ledger.read)

        let nodeArguments = ["--store", database.url, "--key", keyPath, "--checkpoint-interval", "1"]
        let executable = try CrashTests.executable
        let doomed = try await ServerProcess.start(executable: executable, db: nil, arguments: nodeArguments)
        let survivor = try await ServerProcess.start(executable: executable, db: nil, arguments: nodeArguments)

        // Four clients on each node, each posting single events until stopped or refused.
        let acknowledged = AcknowledgedEvents()
        let session = URLSession(configuration: .ephemeral)
        let writers = (0..<8).map { writer in
            let node = writer.isMultiple(of: 2) ? doomed : survivor
            return Task { await acknowledged.post(to: node, token: ingest, idPrefix: "n\(writer)-", name: "node.test", session: session) }
        }
        while await acknowledged.count < 200 { try await Task.sleep(for: .milliseconds(20)) }
        doomed.kill(signal: SIGKILL)
        // The survivor keeps committing: the dead node's lock went with its connection.
        let atKill = await acknowledged.count
        let deadline = ContinuousClock.now + .seconds(30)
        while await acknowledged.count < atKill + 200, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await acknowledged.count >= atKill + 200, "the surviving node stopped committing after the other died")
        await acknowledged.stop()
        for writer in writers { await writer.value }
        let acked = await acknowledged.all

        // Every acknowledged event is there, with the hash it was acknowledged with.
        for (id, hash) in acked {
            let (status, data) = try await ServeProcessTests.request(survivor.url("/v1/events/\(id)"), token: read)
            #expect(status == 200, "\(id) acknowledged but missing")
            #expect(try JSONParser().parse(Array(data))["hash"]?.stringValue == hash)
        }

        // A node started after the crash serves the same history: proofs from both nodes
        // verify against one signed checkpoint.
        let restarted = try await ServerProcess.start(executable: executable, db: nil, arguments: nodeArguments)
        let (signedStatus, signedData) = try await ServeProcessTests.request(survivor.url("/v1/checkpoint"), token: read)
        #expect(signedStatus == 200)
        let note = try #require(try JSONParser().parse(Array(signedData))["signed_note"]?.stringValue)
        let checkpoint = try Checkpoint(verifying: note, using: signer.verifier)
        for node in [survivor, restarted] {
            for seq in [UInt64(1), checkpoint.treeSize / 2, checkpoint.treeSize] where seq >= 1 {
                let (status, data) = try await ServeProcessTests.request(
                    node.url("/v1/proofs/inclusion?seq=\(seq)&tree_size=\(checkpoint.treeSize)"), token: read)
                #expect(status == 200)
                let proof = try JSONParser().parse(Array(data))
                let leaf = try #require(proof["leaf_hash"]?.stringValue.flatMap { MerkleHash(hex: $0) })
                let path = try #require(proof["proof"]?.arrayValue).compactMap { $0.stringValue.flatMap { MerkleHash(hex: $0) } }
                #expect(MerkleVerifier.verifyInclusion(leafHash: leaf, leafIndex: seq - 1, treeSize: checkpoint.treeSize,
                                                       proof: path, root: checkpoint.rootHash))
            }
        }
        #expect(survivor.stop() == 0)
        #expect(restarted.stop() == 0)

        // One dense history: seq 1...n with no gap, chains and tree intact, every checkpoint
        // (signed by whichever node got there) verifying.
        let after = try await PostgresLedger.open(url: database.url, create: false)
        let report = try await after.verify(checkpointVerifier: signer.verifier, progress: nil)
        let head = try await after.treeHead()
        let checkpoints = try await after.checkpoints(after: nil, limit: 10_000)
        await after.close()
        #expect(report.passed, "\(String(describing: report.firstFailure))")
        #expect(report.eventsChecked == head.size)
        #expect(head.size >= UInt64(acked.count))
        #expect(report.checkpointsChecked == checkpoints.count && !checkpoints.isEmpty)
    }
}

/// A ledger in a fresh PostgreSQL database as an operator sets it up once for its nodes: the
/// schema, a signing key file, an ingest and a read token for account `acme`.
struct PostgresNodeLedger {
    var database: (name: String, url: String)
    var directory: URL
    var keyPath: String
    var signer: NoteSigner
    var ingest: String
    var read: String

    static func create(origin: String) async throws -> PostgresNodeLedger {
        let database = try await PostgresTestCluster.shared.createDatabase()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("auditledger-nodes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let keyPath = directory.appendingPathComponent("ledger.key").path
        let ledger = try await PostgresLedger.open(url: database.url)
        let signer = try NoteSigner.generate(name: origin)
        try LedgerKeyFile.create(at: keyPath, signer: signer)
        try await ledger.setIdentity(LedgerIdentity(signer: signer))
        let ingest = try await ledger.createToken(account: "acme", scope: .ingest, name: nil).secret
        let read = try await ledger.createToken(account: "acme", scope: .read, name: nil).secret
        await ledger.close()
        return PostgresNodeLedger(database: database, directory: directory, keyPath: keyPath, signer: signer, ingest: ingest, read: read)
    }

    /// Removes the key file's directory and (in the background) the database.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
        let name = database.name
        Task { try? await PostgresTestCluster.shared.dropDatabase(name) }
    }
}

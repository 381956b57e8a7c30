import HTTPTypes
import HummingbirdTesting
import LedgerCore
@testable import LedgerServer
import LedgerStore
import Testing

@Suite("Export, stream, checkpoint and proofs")
struct ExportStreamProofTests {
    /// More events than one export page, so the stream crosses page boundaries.
    static let count = ExportController.pageSize * 2 + 7

    static func seedMany(_ server: TestServer, _ client: some TestClientProtocol) async throws {
        var posted = 0
        while posted < count {
            let size = min(1000, count - posted)
            let batch = Body.batch((0..<size).map { Body.event(id: "e\(posted + $0)", description: "line, with \\\"quotes\\\"") })
            #expect(try await client.post(batch, token: server.ingestA).status == .created)
            posted += size
        }
    }

    @Test func ndjsonExportIsTheWholeChainAndRehashes() async throws {
        try await TestServer.run { server, client in
            try await Self.seedMany(server, client)
            let response = try await client.get("/v1/export", token: server.readA)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/x-ndjson")
            let lines = response.text.split(separator: "\n")
            // The seeded events; the record of this export comes right after the range.
            #expect(lines.count == Self.count)
            #expect(try await server.ledger.event(account: "acme", seq: UInt64(Self.count + 1))?.content.name == "auditledger.export")
            var previous = StoredEvent.zeroHash
            for (offset, line) in lines.enumerated() {
                let value = try JSONParser().parse(String(line))
                let event = try StoredEvent(json: value)
                #expect(event.accountSeq == UInt64(offset + 1))
                #expect(event.hash.description == value["hash"]?.stringValue)
                #expect(event.previousHash == previous)
                previous = event.hash
            }
            let recorded = try await client.get("/v1/events?name=auditledger.export", token: server.readA)
            #expect(try recorded.json["events"]?.arrayValue?.count == 1)
        }
    }

    @Test func csvExportHasHeaderAndOneRowPerEvent() async throws {
        try await TestServer.run { server, client in
            try await Self.seedMany(server, client)
            let response = try await client.get("/v1/export?format=csv", token: server.readA)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
            let rows = response.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(rows.first == StoredEvent.csvColumns.joined(separator: ","))
            #expect(rows.count == 1 + Self.count)
            #expect(rows[1].hasPrefix("1,1,acme,e0,stack.deploy,u_42,Jane,,,81.2.69.160,"))
            #expect(rows[1].contains(#""line, with ""quotes""""#))
        }
    }

    @Test func exportRangeIsOnReceiveTime() async throws {
        try await TestServer.run { server, client in
            try await Self.seedMany(server, client)
            let future = try await client.get("/v1/export?from=2100-01-01", token: server.readA)
            #expect(future.status == .ok)
            #expect(future.text.isEmpty)
            let backwards = try await client.get("/v1/export?from=2026-11-21&to=2026-11-20", token: server.readA)
            #expect(backwards.status == .badRequest)
        }
    }

    @Test func streamFollowsTheChainFromACursor() async throws {
        try await TestServer.run { server, client in
            _ = try await client.post(Body.batch([Body.event(id: "a"), Body.event(id: "b"), Body.event(id: "c")]), token: server.ingestA)
            let first = try await client.get("/v1/stream?limit=2", token: server.readA)
            #expect(try first.json["events"]?.arrayValue?.map { $0["id"]?.stringValue } == ["a", "b"])
            let cursor = try #require(try first.json["next_cursor"]?.stringValue)
            let second = try await client.get("/v1/stream?cursor=\(cursor)", token: server.readA)
            #expect(try second.json["events"]?.arrayValue?.map { $0["id"]?.stringValue } == ["c"])
            let end = try #require(try second.json["next_cursor"]?.stringValue)
            let empty = try await client.get("/v1/stream?cursor=\(end)", token: server.readA)
            #expect(try empty.json["events"]?.arrayValue?.isEmpty == true)
            #expect(try empty.json["next_cursor"]?.stringValue == end)
            #expect(try await client.get("/v1/stream?cursor=garbage", token: server.readA).errorCode == "invalid_cursor")
        }
    }

    @Test func longPollAnswersWhenAnEventArrives() async throws {
        try await TestServer.run { server, client in
            _ = try await client.post(Body.event(id: "a"), token: server.ingestA)
            let start = try await client.get("/v1/stream", token: server.readA)
            let cursor = try #require(try start.json["next_cursor"]?.stringValue)
            async let waited = client.get("/v1/stream?wait=10&cursor=\(cursor)", token: server.readA)
            try await Task.sleep(for: .milliseconds(300))
            _ = try await client.post(Body.event(id: "b"), token: server.ingestA)
            let clock = ContinuousClock()
            let begin = clock.now
            let response = try await waited
            #expect(clock.now - begin < .seconds(5))
            #expect(try response.json["events"]?.arrayValue?.map { $0["id"]?.stringValue } == ["b"])
        }
    }

    @Test func checkpointAndProofsVerify() async throws {
        try await TestServer.run { server, client in
            _ = try await client.post(Body.batch((0..<7).map { Body.event(id: "p\($0)") }), token: server.ingestA)
            let checkpoint = try await client.get("/v1/checkpoint", token: server.readA).json
            #expect(checkpoint["tree_size"]?.int64Value == 7)
            let root = try #require(checkpoint["root_hash"]?.stringValue.flatMap { MerkleHash(hex: $0) })

            let inclusion = try await client.get("/v1/proofs/inclusion?seq=3", token: server.readA).json
            let proof = (inclusion["proof"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { MerkleHash(hex: $0) } }
            let leaf = try #require(inclusion["leaf_hash"]?.stringValue.flatMap { MerkleHash(hex: $0) })
            #expect(MerkleVerifier.verifyInclusion(leafHash: leaf, leafIndex: 2, treeSize: 7, proof: proof, root: root))

            let consistency = try await client.get("/v1/proofs/consistency?first=3&second=7", token: server.readA).json
            let path = (consistency["proof"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { MerkleHash(hex: $0) } }
            let firstRoot = try #require(consistency["first_root_hash"]?.stringValue.flatMap { MerkleHash(hex: $0) })
            #expect(MerkleVerifier.verifyConsistency(firstSize: 3, secondSize: 7, firstRoot: firstRoot, secondRoot: root, proof: path))

            let tooBig = try await client.get("/v1/proofs/consistency?first=3&second=70", token: server.readA)
            #expect(tooBig.status == .badRequest)
            #expect(tooBig.errorCode == "invalid_tree_size")
            #expect(try await client.get("/v1/proofs/inclusion?seq=3&tree_size=2", token: server.readA).status == .badRequest)
        }
    }
}

@Suite("System routes and tokens")
struct SystemAndTokenTests {
    @Test func publicRoutesNeedNoToken() async throws {
        try await TestServer.run { _, client in
            let health = try await client.get("/healthz")
            #expect(health.status == .ok)
            #expect(try health.json["status"]?.stringValue == "ok")
            let document = try await client.get("/openapi.json").json
            #expect(document["openapi"]?.stringValue == "3.1.0")
            let paths = Set(document["paths"]?.objectValue?.keys ?? [])
            #expect(paths == ["/healthz", "/metrics", "/openapi.json", "/v1/events", "/v1/events/{ref}", "/v1/export",
                              "/v1/stream", "/v1/checkpoint", "/v1/proofs/inclusion", "/v1/proofs/consistency",
                              "/v1/tokens", "/v1/tokens/{id}", "/v1/key", "/v1/export/manifest"])
            #expect(try await client.get("/v1/key").status == .ok)
        }
    }

    @Test func v1RoutesNeedAValidToken() async throws {
        try await TestServer.run { server, client in
            let missing = try await client.get("/v1/events")
            #expect(missing.status == .unauthorized)
            #expect(missing.errorCode == "unauthorized")
            #expect(missing.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            for header in ["Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer", "Bearer alt_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"] {
                let response = try await client.request(.get, "/v1/events", headers: [.authorization: header])
                #expect(response.status == .unauthorized, "\(header)")
            }
            // A revoked token stops working at once.
            let id = try #require(TokenSecretProbe.id(server.readA))
            _ = try await server.ledger.revokeToken(id: id)
            #expect(try await client.get("/v1/events", token: server.readA).status == .unauthorized)
        }
    }

    @Test func adminTokensManageTokens() async throws {
        try await TestServer.run { server, client in
            let created = try await client.request(.post, "/v1/tokens", token: server.adminA, body: #"{"account":"acme","scope":"read","name":"bob"}"#)
            #expect(created.status == .created)
            let secret = try #require(try created.json["secret"]?.stringValue)
            let id = try #require(try created.json["id"]?.stringValue)
            #expect(try await client.get("/v1/events", token: secret).status == .ok)

            // A bound admin cannot mint tokens for another account or for all of them.
            for account in ["globex", "*"] {
                let refused = try await client.request(.post, "/v1/tokens", token: server.adminA, body: #"{"account":"\#(account)","scope":"ingest"}"#)
                #expect(refused.status == .forbidden)
            }
            let listed = try await client.get("/v1/tokens", token: server.adminA).json["tokens"]?.arrayValue ?? []
            #expect(listed.allSatisfy { $0["account"]?.stringValue == "acme" })
            #expect(listed.allSatisfy { $0["secret"] == nil })

            #expect(try await client.request(.delete, "/v1/tokens/\(id)", token: server.adminA).status == .ok)
            #expect(try await client.get("/v1/events", token: secret).status == .unauthorized)
            // Another account's token is "not found" to a bound admin.
            let globexID = try #require(TokenSecretProbe.id(server.readB))
            #expect(try await client.request(.delete, "/v1/tokens/\(globexID)", token: server.adminA).status == .notFound)
            #expect(try await client.get("/v1/tokens", token: server.readA).status == .forbidden)
        }
    }
}

/// The id embedded in a secret, as the server reads it.
enum TokenSecretProbe {
    static func id(_ secret: String) -> String? { TokenSecret.id(in: secret) }
}

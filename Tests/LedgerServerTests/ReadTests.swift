import HTTPTypes
import HummingbirdTesting
import LedgerCore
@testable import LedgerServer
import Testing

@Suite("GET /v1/events and /v1/events/{ref}")
struct ReadTests {
    /// Posts a small, varied history for acme.
    static func seed(_ server: TestServer, _ client: some TestClientProtocol) async throws {
        let events = [
            Body.event("stack.deploy", id: "d1", actor: "u_42"),
            Body.event("stack.delete", id: "d2", actor: "u_7", ip: "89.160.20.112"),
            Body.event("server.ssh.login", id: "s1", actor: "u_42", description: "disk full on web"),
            Body.event("user.login", id: "u1", actor: "u_7", ip: nil, extra: #""outcome":"failure","targets":[{"type":"stack","id":"prod"}]"#),
        ]
        let response = try await client.post(Body.batch(events), token: server.ingestA)
        #expect(response.status == .created)
    }

    /// The names of a page's events, without the ledger's own records of searches.
    static func names(_ response: TestResponse) throws -> [String] {
        try (response.json["events"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            .filter { !$0.hasPrefix("auditledger.") }
    }

    @Test func filtersEachNarrowTheSearch() async throws {
        try await TestServer.run { server, client in
            try await Self.seed(server, client)
            let cases: [(String, Set<String>)] = [
                ("name=stack.*", ["stack.deploy", "stack.delete"]),
                ("name=stack.deploy,user.login", ["stack.deploy", "user.login"]),
                ("name=stack.deploy&name=user.login", ["stack.deploy", "user.login"]),
                ("actor=u_7", ["stack.delete", "user.login"]),
                ("outcome=failure", ["user.login"]),
                ("country=gb", ["stack.deploy", "server.ssh.login"]),
                ("city=London", ["stack.deploy", "server.ssh.login"]),
                ("ip=81.2.69.0/24", ["stack.deploy", "server.ssh.login"]),
                ("target=stack:prod", ["user.login"]),
                ("q=disk+full", ["server.ssh.login"]),
                ("query=name:stack.*+actor:u_7", ["stack.delete"]),
                ("from=2026-11-20T10:00:00Z&to=2026-11-20T10:00:01Z&name=user.login", ["user.login"]),
                ("from=2026-11-21", []),
            ]
            for (filters, expected) in cases {
                let response = try await client.get("/v1/events?\(filters)", token: server.readA)
                #expect(response.status == .ok, "\(filters)")
                #expect(Set(try Self.names(response)) == expected, "\(filters)")
            }
        }
    }

    @Test func cursorPagesThroughWithoutRepeats() async throws {
        try await TestServer.run { server, client in
            try await Self.seed(server, client)
            var seen: [String] = []
            var cursor: String? = nil
            repeat {
                let uri = "/v1/events?name=stack.*&name=server.*&name=user.*&limit=1" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await client.get(uri, token: server.readA)
                #expect(page.status == .ok)
                seen += try Self.names(page)
                cursor = try page.json["next_cursor"]?.stringValue
            } while cursor != nil && seen.count < 10
            #expect(seen.count == 4)
            #expect(Set(seen).count == 4)
        }
    }

    @Test func searchesAreRecordedInTheAccount() async throws {
        try await TestServer.run { server, client in
            try await Self.seed(server, client)
            _ = try await client.get("/v1/events?name=stack.*&actor=u_42", token: server.readA)
            let recorded = try await client.get("/v1/events?name=auditledger.search", token: server.readA)
            let event = try #require(try recorded.json["events"]?[0])
            #expect(event["account"]?.stringValue == "acme")
            #expect(event["actor"]?["name"]?.stringValue == "acme owner")
            #expect(event["metadata"]?["name"]?.stringValue == "stack.*")
            #expect(event["metadata"]?["actor"]?.stringValue == "u_42")
        }
    }

    /// The reader's address is recorded with the search (asked of the connection only then).
    @Test func searchesRecordTheReadersAddress() async throws {
        try await TestServer.run(.live) { server, client in
            try await Self.seed(server, client)
            _ = try await client.get("/v1/events?name=stack.*", token: server.readA)
            let recorded = try await client.get("/v1/events?name=auditledger.search", token: server.readA)
            let event = try #require(try recorded.json["events"]?[0])
            #expect(event["ip"]?.stringValue == "127.0.0.1")
        }
    }

    @Test func showFindsBySeqAndByClientID() async throws {
        try await TestServer.run { server, client in
            try await Self.seed(server, client)
            let bySeq = try await client.get("/v1/events/2", token: server.readA)
            #expect(bySeq.status == .ok)
            #expect(try bySeq.json["id"]?.stringValue == "d2")
            let byID = try await client.get("/v1/events/s1", token: server.readA)
            #expect(try byID.json["seq"]?.int64Value == 3)
            let missing = try await client.get("/v1/events/999", token: server.readA)
            #expect(missing.status == .notFound)
            #expect(missing.text == #"{"error":{"code":"not_found","message":"Resource not found"}}"# + "\n")
            #expect(try await client.get("/v1/events/nope", token: server.readA).status == .notFound)
        }
    }

    @Test func platformReadTokenMustNameTheAccount() async throws {
        try await TestServer.run { server, client in
            try await Self.seed(server, client)
            let unnamed = try await client.get("/v1/events", token: server.readAny)
            #expect(unnamed.status == .badRequest)
            #expect(unnamed.errorCode == "invalid_parameter")
            let named = try await client.get("/v1/events?account=acme&name=stack.*", token: server.readAny)
            #expect(Set(try Self.names(named)) == ["stack.deploy", "stack.delete"])
        }
    }

    @Test func onlyReadTokensMayRead() async throws {
        try await TestServer.run { server, client in
            for uri in ["/v1/events", "/v1/events/1", "/v1/export", "/v1/stream", "/v1/checkpoint", "/v1/proofs/consistency?first=0",
                        "/v1/export/manifest?to=2001-01-01"] {
                for token in [server.ingestA, server.adminA] {
                    let response = try await client.get(uri, token: token)
                    #expect(response.status == .forbidden, "\(uri)")
                }
            }
        }
    }
}

@Suite("Tenant isolation")
struct TenantIsolationTests {
    @Test func aTokenForOneAccountNeverSeesAnother() async throws {
        try await TestServer.run { server, client in
            // acme: seq 1–2; globex: seq 3, with a client id acme also uses.
            _ = try await client.post(Body.batch([Body.event(id: "shared"), Body.event("stack.delete")]), token: server.ingestA)
            _ = try await client.post(Body.event("secret.thing", id: "shared", description: "globex only"), token: server.ingestB)
            _ = try await client.post(Body.event("globex.only", id: "g-only"), token: server.ingestB)

            // Search: only acme's events, whatever the filters.
            for filters in ["", "?q=globex", "?name=secret.thing", "?query=globex"] {
                let response = try await client.get("/v1/events\(filters)", token: server.readA)
                let accounts = try (response.json["events"]?.arrayValue ?? []).compactMap { $0["account"]?.stringValue }
                #expect(accounts.allSatisfy { $0 == "acme" }, "\(filters)")
                #expect(try !ReadTests.names(response).contains("secret.thing"))
            }
            // Naming the other account is refused, without saying whether it exists.
            #expect(try await client.get("/v1/events?account=globex", token: server.readA).status == .forbidden)
            #expect(try await client.get("/v1/events?account=nonexistent", token: server.readA).status == .forbidden)

            // Show: globex's seq and its own id are the same 404 as an unknown one.
            let unknown = try await client.get("/v1/events/999", token: server.readA)
            let foreignSeq = try await client.get("/v1/events/3", token: server.readA)
            let foreignID = try await client.get("/v1/events/g-only", token: server.readA)
            #expect(foreignSeq.status == .notFound)
            #expect(foreignSeq.text == unknown.text)
            #expect(foreignID.text == unknown.text)
            // The shared client id resolves to acme's own event.
            #expect(try await client.get("/v1/events/shared", token: server.readA).json["account"]?.stringValue == "acme")

            // Export and stream: only acme's chain.
            let export = try await client.get("/v1/export", token: server.readA)
            let exported = try export.text.split(separator: "\n").map { try JSONParser().parse(String($0)) }
            #expect(exported.allSatisfy { $0["account"]?.stringValue == "acme" })
            #expect(!exported.contains { $0["name"]?.stringValue == "secret.thing" || $0["name"]?.stringValue == "globex.only" })
            let streamed = try await client.get("/v1/stream", token: server.readA).json["events"]?.arrayValue ?? []
            // The stream also holds the export's own record, the first event after its range.
            #expect(streamed.count == exported.count + 1)
            #expect(streamed.last?["name"]?.stringValue == "auditledger.export")
            #expect(streamed.allSatisfy { $0["account"]?.stringValue == "acme" })
            // Proofs name events: another account's seq is not found.
            #expect(try await client.get("/v1/proofs/inclusion?seq=3", token: server.readA).status == .notFound)
            #expect(try await client.get("/v1/proofs/inclusion?seq=1", token: server.readA).status == .ok)
            // And globex sees none of acme's.
            let globex = try await client.get("/v1/events", token: server.readB)
            #expect(try ReadTests.names(globex).allSatisfy { $0 != "stack.delete" })
            #expect(try await client.get("/v1/events/1", token: server.readB).status == .notFound)
        }
    }
}

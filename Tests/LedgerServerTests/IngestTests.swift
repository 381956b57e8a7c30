import HTTPTypes
import HummingbirdTesting
import LedgerCore
@testable import LedgerServer
import Testing

@Suite("POST /v1/events")
struct IngestTests {
    @Test func singleEventIsStoredWithReceiptLocationAndGeo() async throws {
        try await TestServer.run { server, client in
            let response = try await client.post(Body.event(id: "evt-1"), token: server.ingestA)
            #expect(response.status == .created)
            let receipt = try response.json
            #expect(receipt["id"]?.stringValue == "evt-1")
            #expect(receipt["seq"]?.int64Value == 1)
            #expect(receipt["account_seq"]?.int64Value == 1)
            #expect(receipt["replayed"]?.boolValue == false)
            #expect(receipt["hash"]?.stringValue?.count == 64)
            #expect(response.headers[.location] == "/v1/events/1")

            let stored = try #require(try await server.ledger.event(account: "acme", seq: 1))
            #expect(stored.hash.description == receipt["hash"]?.stringValue)
            #expect(stored.geo.status == .ok)
            #expect(stored.geo.location?.city == "London")
        }
    }

    @Test func replayWithSameContentReturnsOriginalReceiptWith200() async throws {
        try await TestServer.run { server, client in
            let first = try await client.post(Body.event(id: "evt-1"), token: server.ingestA)
            let again = try await client.post(Body.event(id: "evt-1"), token: server.ingestA)
            #expect(first.status == .created)
            #expect(again.status == .ok)
            #expect(try again.json["seq"] == first.json["seq"])
            #expect(try again.json["hash"] == first.json["hash"])
            #expect(try again.json["replayed"]?.boolValue == true)
            #expect(try await server.eventCount() == 1)
        }
    }

    @Test func idempotencyKeyHeaderActsAsTheEventID() async throws {
        try await TestServer.run { server, client in
            let key: HTTPFields = [.idempotencyKey: "retry-7"]
            let first = try await client.post(Body.event(), token: server.ingestA, headers: key)
            let again = try await client.post(Body.event(), token: server.ingestA, headers: key)
            #expect(first.status == .created)
            #expect(try first.json["id"]?.stringValue == "retry-7")
            #expect(again.status == .ok)
            #expect(try await server.eventCount() == 1)
        }
    }

    @Test func sameIDWithDifferentContentIs409AndStoresNothing() async throws {
        try await TestServer.run { server, client in
            _ = try await client.post(Body.event(id: "evt-1"), token: server.ingestA)
            let conflict = try await client.post(Body.event("stack.delete", id: "evt-1"), token: server.ingestA)
            #expect(conflict.status == .conflict)
            #expect(conflict.errorCode == "idempotency_conflict")
            #expect(try conflict.json["error"]?["details"]?[0]?["id"]?.stringValue == "evt-1")
            #expect(try conflict.json["error"]?["details"]?[0]?["existing_seq"]?.int64Value == 1)

            // A batch with one conflicting item stores none of its items.
            let batch = Body.batch([Body.event(id: "new-1"), Body.event("stack.delete", id: "evt-1")])
            let batchConflict = try await client.post(batch, token: server.ingestA)
            #expect(batchConflict.status == .conflict)
            #expect(try batchConflict.json["error"]?["details"]?[0]?["index"]?.int64Value == 1)
            #expect(try await server.eventCount() == 1)
        }
    }

    @Test func batchIsAtomicAndListsEveryInvalidItem() async throws {
        try await TestServer.run { server, client in
            let batch = Body.batch([Body.event(), Body.event("Bad Name"), Body.event(), Body.event(actor: "", ip: "999.1.1.1")])
            let response = try await client.post(batch, token: server.ingestA)
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "invalid_events")
            let details = try #require(try response.json["error"]?["details"]?.arrayValue)
            let places = details.map { "\($0["index"]?.int64Value ?? -1):\($0["field"]?.stringValue ?? "")" }
            #expect(places.contains("1:name"))
            #expect(places.contains("3:actor.id"))
            #expect(places.contains("3:ip"))
            #expect(try await server.eventCount() == 0)

            let good = try await client.post(Body.batch([Body.event(id: "a"), Body.event(id: "b"), Body.event()]), token: server.ingestA)
            #expect(good.status == .created)
            let receipts = try #require(try good.json["receipts"]?.arrayValue)
            #expect(receipts.map { $0["seq"]?.int64Value } == [1, 2, 3])
            #expect(receipts.map { $0["account_seq"]?.int64Value } == [1, 2, 3])
        }
    }

    @Test func ndjsonBodyReportsLinesOfInvalidItems() async throws {
        try await TestServer.run { server, client in
            let good = Body.event(id: "n1") + "\n" + Body.event(id: "n2") + "\n"
            let stored = try await client.post(good, token: server.ingestA, contentType: "application/x-ndjson")
            #expect(stored.status == .created)
            #expect(try stored.json["receipts"]?.arrayValue?.count == 2)

            let bad = Body.event() + "\n{not json}\n" + Body.event("x..y") + "\n"
            let refused = try await client.post(bad, token: server.ingestA, contentType: "application/x-ndjson")
            #expect(refused.status == .badRequest)
            #expect(try refused.json["error"]?["details"]?[0]?["line"]?.int64Value == 2)
            #expect(try await server.eventCount() == 2)
        }
    }

    @Test func accountRulesForBoundAndPlatformTokens() async throws {
        try await TestServer.run { server, client in
            // A bound token may name its own account, or none.
            #expect(try await client.post(Body.event(account: "acme"), token: server.ingestA).status == .created)
            // Another account is a permission problem, for a single event and inside a batch.
            let foreign = try await client.post(Body.event(account: "globex"), token: server.ingestA)
            #expect(foreign.status == .forbidden)
            #expect(foreign.text == #"{"error":{"code":"forbidden","message":"No permission"}}"# + "\n")
            let mixed = try await client.post(Body.batch([Body.event(), Body.event(account: "globex")]), token: server.ingestA)
            #expect(mixed.status == .forbidden)
            // A `*` token must name the account of every event.
            let unnamed = try await client.post(Body.event(), token: server.ingestAny)
            #expect(unnamed.status == .badRequest)
            #expect(try unnamed.json["error"]?["details"]?[0]?["field"]?.stringValue == "account")
            let named = try await client.post(Body.batch([Body.event(account: "globex"), Body.event(account: "initech")]), token: server.ingestAny)
            #expect(named.status == .created)
            #expect(try await server.eventCount() == 3)
        }
    }

    @Test func onlyIngestTokensMayPost() async throws {
        try await TestServer.run { server, client in
            for token in [server.readA, server.adminAny, server.readAny] {
                let response = try await client.post(Body.event(), token: token)
                #expect(response.status == .forbidden)
                #expect(response.errorCode == "forbidden")
            }
            #expect(try await server.eventCount() == 0)
        }
    }

    @Test func ingestIsCountedInMetrics() async throws {
        try await TestServer.run { server, client in
            _ = try await client.post(Body.batch([Body.event(), Body.event()]), token: server.ingestA)
            _ = try await client.post("{", token: server.ingestA)
            let metrics = try await client.get("/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains("auditledger_events_ingested_total 2"))
            #expect(metrics.text.contains("auditledger_ingest_rejected_total 1"))
            #expect(metrics.text.contains("auditledger_commit_latency_seconds_count 1"))
            #expect(metrics.text.contains("auditledger_ingest_batch_size_count 1"))
            #expect(metrics.text.contains("auditledger_database_bytes"))
        }
    }
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerCore
@testable import LedgerServer
import LedgerStore
import Testing

/// Signed checkpoints over HTTP, checked the way a client would: pin the key from `/v1/key`,
/// then verify every served note, proof and export manifest with it and nothing else.
@Suite("Signed checkpoints, key, proofs and export manifests over HTTP")
struct SignedCheckpointTests {
    static func pinnedKey(_ client: some TestClientProtocol) async throws -> NoteVerifier {
        let response = try await client.get("/v1/key")
        #expect(response.status == .ok)
        let key = try #require(try response.json["verifier_key"]?.stringValue)
        return try NoteVerifier(verifierKey: key)
    }

    static func hash(_ value: JSONValue?) throws -> MerkleHash {
        try #require(value?.stringValue.flatMap { MerkleHash(hex: $0) })
    }

    static func post(_ count: Int, prefix: String, _ server: TestServer, _ client: some TestClientProtocol) async throws {
        let response = try await client.post(Body.batch((0..<count).map { Body.event(id: "\(prefix)\($0)") }), token: server.ingestA)
        #expect(response.status == .created)
    }

    @Test func keyIsPublicAndIsTheLedgersKey() async throws {
        try await TestServer.run { server, client in
            let response = try await client.get("/v1/key")
            #expect(response.status == .ok)
            let body = try response.json
            #expect(body["verifier_key"]?.stringValue == server.signer.verifier.verifierKey)
            #expect(body["origin"]?.stringValue == "auditledger.test/server")
            #expect(body["algorithm"]?.stringValue == "ed25519")
            #expect(body["key_hash"]?.stringValue == server.signer.verifier.verifierKey.split(separator: "+")[1].description)
            #expect(try await client.get("/v1/key?x=1").status == .badRequest)
        }
    }

    @Test func latestSignedCheckpointVerifiesWithThePinnedKey() async throws {
        try await TestServer.run { server, client in
            try await Self.post(7, prefix: "c", server, client)
            let pinned = try await Self.pinnedKey(client)
            #expect(try await server.ledger.latestCheckpoint() == nil)

            // None was signed yet: the first request signs one of the current tree.
            let response = try await client.get("/v1/checkpoint", token: server.readA)
            #expect(response.status == .ok)
            let body = try response.json
            let note = try #require(body["signed_note"]?.stringValue)
            let checkpoint = try Checkpoint(verifying: note, using: pinned, expectedOrigin: "auditledger.test/server")
            #expect(checkpoint.treeSize == 7)
            #expect(body["tree_size"]?.int64Value == 7)
            #expect(try Self.hash(body["root_hash"]) == checkpoint.rootHash)
            #expect(checkpoint.rootHash == (try await server.ledger.treeHead()).rootHash)
            #expect(try await server.ledger.latestCheckpoint()?.signedNote == note)

            // The same note as text, by parameter or by Accept.
            let asNote = try await client.get("/v1/checkpoint?format=note", token: server.readA)
            #expect(asNote.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(asNote.text == note)
            let accepted = try await client.request(.get, "/v1/checkpoint", token: server.readA, headers: [.accept: "text/plain"])
            #expect(accepted.text == note)
            #expect(try await client.get("/v1/checkpoint?format=xml", token: server.readA).status == .badRequest)

            // Another key of the same name does not verify it.
            let impostor = try NoteSigner.generate(name: "auditledger.test/server").verifier
            #expect(throws: (any Error).self) { try Checkpoint(verifying: note, using: impostor) }

            // Later events do not make a read sign: it gets the latest signed checkpoint.
            try await Self.post(3, prefix: "d", server, client)
            #expect(try await client.get("/v1/checkpoint", token: server.readA).json["tree_size"]?.int64Value == 7)
            #expect(try await client.get("/v1/checkpoint", token: server.ingestA).status == .forbidden)
            #expect(try await client.get("/v1/checkpoint").status == .unauthorized)
        }
    }

    @Test func treeSizeSelectsTheFirstCheckpointAtOrAfterIt() async throws {
        try await TestServer.run { server, client in
            for (count, prefix) in [(3, "a"), (4, "b"), (3, "c")] {
                try await Self.post(count, prefix: prefix, server, client)
                #expect(try await client.request(.post, "/v1/checkpoint", token: server.adminAny).status == .created)
            }
            try await Self.post(2, prefix: "d", server, client)
            let pinned = try await Self.pinnedKey(client)
            for (asked, expected) in [(0, 3), (1, 3), (3, 3), (4, 7), (7, 7), (8, 10), (10, 10)] {
                let response = try await client.get("/v1/checkpoint?tree_size=\(asked)", token: server.readA)
                #expect(response.status == .ok, "tree_size=\(asked)")
                let note = try #require(try response.json["signed_note"]?.stringValue)
                #expect(try Checkpoint(verifying: note, using: pinned).treeSize == UInt64(expected), "tree_size=\(asked)")
                let text = try await client.get("/v1/checkpoint?tree_size=\(asked)&format=note", token: server.readA).text
                #expect(text == note)
            }
            // Events 11 and 12 are not in any checkpoint yet; 13 does not exist.
            let notYet = try await client.get("/v1/checkpoint?tree_size=11", token: server.readA)
            #expect(notYet.status == .notFound)
            #expect(notYet.errorCode == "checkpoint_not_found")
            let tooBig = try await client.get("/v1/checkpoint?tree_size=13", token: server.readA)
            #expect(tooBig.status == .badRequest)
            #expect(tooBig.errorCode == "invalid_tree_size")
            #expect(try await client.get("/v1/checkpoint?tree_size=-1", token: server.readA).status == .badRequest)
            // Asking did not sign anything.
            #expect(try await server.ledger.latestCheckpoint()?.treeSize == 10)
        }
    }

    @Test func onlyAdminsSignOnDemand() async throws {
        try await TestServer.run { server, client in
            try await Self.post(4, prefix: "a", server, client)
            for token in [server.readA, server.ingestA, server.readAny, server.ingestAny] {
                let refused = try await client.request(.post, "/v1/checkpoint", token: token)
                #expect(refused.status == .forbidden)
                #expect(refused.errorCode == "forbidden")
            }
            #expect(try await client.request(.post, "/v1/checkpoint").status == .unauthorized)
            #expect(try await server.ledger.latestCheckpoint() == nil)

            let pinned = try await Self.pinnedKey(client)
            let signed = try await client.request(.post, "/v1/checkpoint", token: server.adminA)
            #expect(signed.status == .created)
            let first = try Checkpoint(verifying: try #require(try signed.json["signed_note"]?.stringValue), using: pinned)
            #expect(first.treeSize == 4)
            // Nothing new: the same checkpoint, 200, nothing stored.
            let again = try await client.request(.post, "/v1/checkpoint", token: server.adminAny)
            #expect(again.status == .ok)
            #expect(try again.json["tree_size"]?.int64Value == 4)
            #expect(try await server.ledger.checkpoints(after: nil, limit: 10).count == 1)

            try await Self.post(2, prefix: "b", server, client)
            let next = try await client.request(.post, "/v1/checkpoint", token: server.adminAny)
            #expect(next.status == .created)
            #expect(try Checkpoint(verifying: try #require(try next.json["signed_note"]?.stringValue), using: pinned).treeSize == 6)
            #expect(try await client.request(.post, "/v1/checkpoint?now=1", token: server.adminAny).status == .badRequest)
        }
    }

    @Test func inclusionProofDefaultsToTheLatestSignedCheckpoint() async throws {
        try await TestServer.run { server, client in
            try await Self.post(5, prefix: "a", server, client)
            #expect(try await client.request(.post, "/v1/checkpoint", token: server.adminAny).status == .created)
            try await Self.post(3, prefix: "b", server, client)
            let pinned = try await Self.pinnedKey(client)

            // seq 2 is in checkpoint 5: the proof is against it, though the tree has 8 events.
            let old = try await client.get("/v1/proofs/inclusion?seq=2", token: server.readA).json
            #expect(old["tree_size"]?.int64Value == 5)
            let oldCheckpoint = try Checkpoint(verifying: try #require(old["signed_note"]?.stringValue), using: pinned)
            #expect(oldCheckpoint.treeSize == 5)
            let leaf = try Self.hash(old["leaf_hash"])
            #expect(leaf == (try await server.ledger.event(account: "acme", seq: 2))?.hash)
            let path = try (old["proof"]?.arrayValue ?? []).map { try Self.hash($0) }
            #expect(MerkleVerifier.verifyInclusion(leafHash: leaf, leafIndex: 1, treeSize: 5, proof: path, root: oldCheckpoint.rootHash))
            // A changed leaf does not verify against the signed root.
            #expect(!MerkleVerifier.verifyInclusion(leafHash: try Self.hash(old["root_hash"]), leafIndex: 1, treeSize: 5, proof: path,
                                                    root: oldCheckpoint.rootHash))

            // seq 7 is newer than every checkpoint: one covering it is signed for the proof.
            let new = try await client.get("/v1/proofs/inclusion?seq=7", token: server.readA).json
            let newCheckpoint = try Checkpoint(verifying: try #require(new["signed_note"]?.stringValue), using: pinned)
            #expect(newCheckpoint.treeSize == 8)
            #expect(new["tree_size"]?.int64Value == 8)
            let newPath = try (new["proof"]?.arrayValue ?? []).map { try Self.hash($0) }
            #expect(MerkleVerifier.verifyInclusion(leafHash: try Self.hash(new["leaf_hash"]), leafIndex: 6, treeSize: 8, proof: newPath,
                                                   root: newCheckpoint.rootHash))

            // An explicit size of no checkpoint: a proof against that size's root, without a note.
            let explicit = try await client.get("/v1/proofs/inclusion?seq=2&tree_size=6", token: server.readA).json
            #expect(explicit["tree_size"]?.int64Value == 6)
            #expect(explicit["signed_note"] == nil)
            #expect(try Self.hash(explicit["root_hash"]) == (try await server.ledger.root(treeSize: 6)))
            #expect(try await client.get("/v1/proofs/inclusion?seq=5&tree_size=5", token: server.readA).json["signed_note"] != nil)
            // Another account's event stays "not found".
            #expect(try await client.get("/v1/proofs/inclusion?seq=2", token: server.readB).status == .notFound)
        }
    }

    @Test func serverWithoutAKeyServesNoCheckpoints() async throws {
        let server = try await TestServer()
        var dependencies = try server.dependencies
        dependencies.checkpoints = nil
        let app = buildApplication(dependencies, configuration: ServerConfiguration(port: 0))
        try await app.test(.router) { client in
            for (method, uri, token) in [(HTTPRequest.Method.get, "/v1/checkpoint", server.readA),
                                         (.post, "/v1/checkpoint", server.adminAny), (.get, "/v1/key", nil),
                                         (.get, "/v1/export/manifest?to=2100-01-01", server.readA)] {
                let response = try await client.request(method, uri, token: token)
                #expect(response.status == .serviceUnavailable, "\(uri)")
                #expect(response.errorCode == "signing_unavailable", "\(uri)")
            }
        }
    }
}

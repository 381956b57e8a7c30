import Foundation
import HTTPTypes
import HummingbirdTesting
import LedgerCore
@testable import LedgerServer
import LedgerStore
import Testing

/// An HTTP export and the manifest fetched for its range verify with `ExportVerifier` and the
/// pinned key alone, whatever arrived in between; a changed row does not.
@Suite("Export manifests over HTTP")
struct ExportManifestHTTPTests {
    static let rangeHeader = HTTPField.Name("AuditLedger-Export-Range")!

    /// The export's bytes, the manifest fetched for its echoed range, and the range.
    static func exportWithManifest(_ query: String, _ server: TestServer, _ client: some TestClientProtocol,
                                   between: () async throws -> Void = {}) async throws -> (file: [UInt8], manifest: ExportManifest, range: String) {
        let export = try await client.get("/v1/export?\(query)", token: server.readA)
        #expect(export.status == .ok)
        let range = try #require(export.headers[rangeHeader])
        let link = try #require(export.headers[HTTPField.Name("Link")!])
        try await between()
        // The same parameters, with the range replaced by the one the export echoed.
        let others = query.split(separator: "&").filter { !$0.hasPrefix("from=") && !$0.hasPrefix("to=") }
        let manifestQuery = (others.map(String.init) + [range]).joined(separator: "&")
        let manifestResponse = try await client.get("/v1/export/manifest?\(manifestQuery)", token: server.readA)
        #expect(manifestResponse.status == .ok)
        #expect(manifestResponse.headers[rangeHeader] == range)
        #expect(link.contains("format=\(try manifestResponse.json["format"]?.stringValue ?? "?")&\(range)>"))
        let manifest = try ExportManifest(json: try manifestResponse.json)
        return (Array(export.body.readableBytesView), manifest, range)
    }

    static func pinnedKey(_ client: some TestClientProtocol) async throws -> NoteVerifier {
        try NoteVerifier(verifierKey: try #require(try await client.get("/v1/key").json["verifier_key"]?.stringValue))
    }

    /// The file with the first occurrence of `old` in data row `row` (1-based) replaced.
    static func editing(_ file: [UInt8], row: Int, headerLines: Int, separator: String, _ old: String, _ new: String) throws -> [UInt8] {
        var rows = String(decoding: file, as: UTF8.self).components(separatedBy: separator)
        let index = headerLines + row - 1
        let range = try #require(rows[index].range(of: old))
        rows[index].replaceSubrange(range, with: new)
        return Array(rows.joined(separator: separator).utf8)
    }

    @Test(arguments: ["ndjson", "csv"])
    func exportAndManifestVerifyAndAChangedRowFails(format: String) async throws {
        let (separator, headerLines) = format == "csv" ? ("\r\n", 1) : ("\n", 0)
        try await TestServer.run { server, client in
            try await ExportStreamProofTests.seedMany(server, client)
            let pinned = try await Self.pinnedKey(client)
            // Events keep arriving between the export and its manifest: the range excludes them.
            let (file, manifest, range) = try await Self.exportWithManifest("format=\(format)", server, client) {
                _ = try await client.post(Body.batch((0..<5).map { Body.event(id: "late\($0)") }), token: server.ingestA)
            }
            #expect(manifest.rowCount == UInt64(ExportStreamProofTests.count))
            #expect(manifest.format.rawValue == format)
            #expect(manifest.inclusionProof != nil)
            #expect(ExportVerifier.verify(file: file, manifest: manifest, verifier: pinned) == nil)
            #expect(range.hasPrefix("to=") && !range.contains("from="))

            let changed = try Self.editing(file, row: 5, headerLines: headerLines, separator: separator, "u_42", "u_43")
            let failure = try #require(ExportVerifier.verify(file: changed, manifest: manifest, verifier: pinned))
            #expect(failure.row == 5, "\(failure)")
            let dropped = Array(String(decoding: file, as: UTF8.self).components(separatedBy: separator)
                .enumerated().filter { $0.offset != headerLines + 9 }.map(\.element).joined(separator: separator).utf8)
            #expect(ExportVerifier.verify(file: dropped, manifest: manifest, verifier: pinned)?.row == 10)
            let impostor = try NoteSigner.generate(name: pinned.name).verifier
            #expect(ExportVerifier.verify(file: file, manifest: manifest, verifier: impostor) != nil)
        }
    }

    @Test func aRangeFromTheMiddleOfTheChainVerifies() async throws {
        try await TestServer.run { server, client in
            _ = try await client.post(Body.batch((0..<3).map { Body.event(id: "a\($0)") }), token: server.ingestA)
            try await Task.sleep(for: .milliseconds(5))
            _ = try await client.post(Body.batch((0..<4).map { Body.event(id: "b\($0)") }), token: server.ingestA)
            let start = try await client.get("/v1/events/b0", token: server.readA).json
            let from = try #require(start["received_at"]?.stringValue)
            let pinned = try await Self.pinnedKey(client)
            let (file, manifest, range) = try await Self.exportWithManifest("from=\(from)", server, client)
            #expect(range.hasPrefix("from=\(from)&to="))
            #expect(manifest.rowCount == 4)
            #expect(manifest.first?.accountSeq == 4)
            #expect(manifest.firstPreviousHash == (try await server.ledger.event(account: "acme", clientID: "a2"))?.hash)
            #expect(ExportVerifier.verify(file: file, manifest: manifest, verifier: pinned) == nil)
            let lines = String(decoding: file, as: UTF8.self).split(separator: "\n")
            #expect(try lines.map { try JSONParser().parse(String($0))["id"]?.stringValue } == ["b0", "b1", "b2", "b3"])
        }
    }

    @Test func theRangeEndsAtTheExportsOwnRecord() async throws {
        try await TestServer.run { server, client in
            _ = try await client.post(Body.batch((0..<3).map { Body.event(id: "a\($0)") }), token: server.ingestA)
            let export = try await client.get("/v1/export", token: server.readA)
            let range = try #require(export.headers[Self.rangeHeader])
            let toText = try #require(range.split(separator: "=").last)
            let to = try #require(Timestamp(rfc3339: String(toText)))
            #expect(export.text.split(separator: "\n").count == 3)
            // The record of this export is the account's next event, received exactly at `to`.
            let record = try #require(try await server.ledger.event(account: "acme", seq: 4))
            #expect(record.content.name == "auditledger.export")
            #expect(record.receivedAt == to)

            // A `to` in the future is capped at the same point; a `to` in the past is kept.
            let future = try await client.get("/v1/export?to=2100-01-01", token: server.readA)
            let cappedTo = try #require(future.headers[Self.rangeHeader])
            #expect(cappedTo != "to=2100-01-01T00:00:00Z")
            #expect(future.text.split(separator: "\n").count == 4)
            let past = try await client.get("/v1/export?to=2001-01-01", token: server.readA)
            #expect(past.headers[Self.rangeHeader] == "to=2001-01-01T00:00:00Z")
            #expect(past.text.isEmpty)
        }
    }

    @Test func emptyExportsHaveAManifestToo() async throws {
        try await TestServer.run { server, client in
            let pinned = try await Self.pinnedKey(client)
            let (file, manifest, _) = try await Self.exportWithManifest("to=2001-01-01", server, client)
            #expect(file.isEmpty)
            #expect(manifest.rowCount == 0)
            #expect(ExportVerifier.verify(file: file, manifest: manifest, verifier: pinned) == nil)
            #expect(ExportVerifier.verify(file: Array(#"{"x":1}"#.utf8) + [10], manifest: manifest, verifier: pinned) != nil)
        }
    }

    @Test func manifestNeedsTheRangeAndTheReadScope() async throws {
        try await TestServer.run { server, client in
            let missing = try await client.get("/v1/export/manifest", token: server.readA)
            #expect(missing.status == .badRequest)
            #expect(try missing.json["error"]?["details"]?[0]?["parameter"]?.stringValue == "to")
            #expect(try await client.get("/v1/export/manifest?to=2001-01-01", token: server.ingestA).status == .forbidden)
            #expect(try await client.get("/v1/export/manifest?to=2001-01-01&account=globex", token: server.readA).status == .forbidden)
            #expect(try await client.get("/v1/export/manifest?to=2001-01-01&format=xml", token: server.readA).status == .badRequest)
            #expect(try await client.get("/v1/export/manifest?to=2001-01-01", token: server.readAny).status == .badRequest)
            #expect(try await client.get("/v1/export/manifest?to=2001-01-01&account=globex", token: server.readAny).status == .ok)
            #expect(try await client.get("/v1/export/manifest?to=2001-01-01").status == .unauthorized)
        }
    }
}

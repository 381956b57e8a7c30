import Foundation
import LedgerCore
import Testing

@Suite struct CLITests {
    @Test func ingestSearchShowVerifyAndExitCodes() throws {
        let scratch = try Scratch()
        let db = scratch.path("ledger.sqlite")
        #expect(try CLI.run(["init", "--db", db]).status == 0)
        let ingest = try CLI.run(["ingest", "--db", db, "-"], stdin: sampleEvents(30))
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stderr.contains("stored 30 events"))

        let search = try CLI.run(["search", "--db", db, "--account", "acme", "name:stack.* country:GB", "--format", "ndjson"])
        #expect(search.status == 0)
        let events = try search.stdout.split(separator: "\n").map { try StoredEvent(json: JSONParser().parse(String($0))) }
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { $0.content.name.hasPrefix("stack.") && $0.geo.location?.countryCode == "GB" })

        #expect(try CLI.run(["show", "--db", db, "--account", "acme", "e3"]).stdout.contains(#""id":"e3""#))
        #expect(try CLI.run(["show", "--db", db, "--account", "acme", "nope"]).status == 1)
        #expect(try CLI.run(["show", "--db", db, "--account", "other", "1"]).status == 1)
        #expect(try CLI.run(["verify", "--db", db]).status == 0)
        #expect(try CLI.run(["search", "--db", db, "--account", "acme", "colour:red"]).status == 2)
        #expect(try CLI.run(["search", "--db", db, "--account", "acme", "--limit", "0"]).status == 2)
        #expect(try CLI.run(["search", "--db", db, "--bogus"]).status == 2)
        #expect(try CLI.run(["search", "--db", scratch.path("missing.sqlite"), "--account", "acme"]).status == 2)
        #expect(try CLI.run(["geo", "lookup", "81.2.69.142"]).stdout.contains("London"))
        #expect(try CLI.run(["geo", "lookup", "not-an-ip"]).status == 2)
        #expect(try CLI.run(["status", "--db", db]).stdout.contains("events:      30"))
    }

    @Test func invalidBatchesStoreNothingAndReportEveryLine() throws {
        let scratch = try Scratch()
        let db = scratch.path("ledger.sqlite")
        var lines = sampleEvents(10).split(separator: "\n").map(String.init)
        lines[3] = #"{"account":"acme","name":"Bad Name","actor":{"id":"u"}}"#
        lines[7] = "{not json"
        let input = lines.joined(separator: "\n") + "\n"
        let result = try CLI.run(["ingest", "--db", db, "--batch-size", "5", "-"], stdin: input)
        #expect(result.status == 2)
        #expect(result.stderr.contains("line 4: name:"))
        #expect(result.stderr.contains("line 8: "))
        #expect(result.stderr.contains("stored 0 events"))
        // Both batches of five held a bad line: nothing at all was stored.
        #expect(try CLI.run(["status", "--db", db]).stdout.contains("events:      0"))

        let mixed = try CLI.run(["ingest", "--db", db, "--batch-size", "4", "-"], stdin: input)
        #expect(mixed.status == 2)
        // Batches of four: lines 1–4 and 5–8 each hold a bad line; only 9–10 are stored.
        #expect(mixed.stderr.contains("stored 2 events in 1 batches; refused 2 invalid batches"))
    }

    @Test func replayingAFileStoresNothingTwice() throws {
        let scratch = try Scratch()
        let db = scratch.path("ledger.sqlite")
        let input = sampleEvents(20)
        #expect(try CLI.run(["ingest", "--db", db, "-"], stdin: input).status == 0)
        let again = try CLI.run(["ingest", "--db", db, "-"], stdin: input)
        #expect(again.status == 0)
        #expect(again.stderr.contains("20 already stored"))
        let conflicting = input.replacingOccurrences(of: "event number 5\"", with: "event number five\"")
        #expect(try CLI.run(["ingest", "--db", db, "-"], stdin: conflicting).status == 2)
    }

    @Test func jsonArrayInputAndAccountDefault() throws {
        let scratch = try Scratch()
        let db = scratch.path("ledger.sqlite")
        let array = #"[{"name":"user.login","actor":{"id":"u"}},{"name":"user.logout","actor":{"id":"u"}}]"#
        #expect(try CLI.run(["ingest", "--db", db, "--account", "solo", "-"], stdin: array).status == 0)
        #expect(try CLI.run(["search", "--db", db, "--account", "solo", "--format", "ndjson"]).stdout.split(separator: "\n").count == 2)
    }

    @Test func exportsParseBackToTheSearchResults() throws {
        let scratch = try Scratch()
        let db = scratch.path("ledger.sqlite")
        #expect(try CLI.run(["ingest", "--db", db, "-"], stdin: sampleEvents(120) + sampleEvents(15, account: "other", idPrefix: "o")).status == 0)
        let searched = try CLI.run(["search", "--db", db, "--account", "acme", "--all", "--limit", "7", "--format", "ndjson"])
        let expected = try searched.stdout.split(separator: "\n").map { try StoredEvent(json: JSONParser().parse(String($0))) }
            .sorted { $0.accountSeq < $1.accountSeq }
        #expect(expected.count == 120)

        #expect(try CLI.run(["export", "--db", db, "--account", "acme", "--format", "ndjson", "-o", scratch.path("e.ndjson")]).status == 0)
        let ndjson = try String(contentsOfFile: scratch.path("e.ndjson"), encoding: .utf8)
        let fromNDJSON = try ndjson.split(separator: "\n").map { try StoredEvent(json: JSONParser().parse(String($0))) }
        #expect(fromNDJSON == expected)

        #expect(try CLI.run(["export", "--db", db, "--account", "acme", "--format", "csv", "-o", scratch.path("e.csv")]).status == 0)
        let csv = try String(contentsOfFile: scratch.path("e.csv"), encoding: .utf8)
        let rows = try CSVTestReader.rows(csv)
        #expect(rows.first == StoredEvent.csvColumns)
        #expect(try rows.dropFirst().map { try StoredEvent(csvCells: $0) } == expected)
        #expect(!FileManager.default.fileExists(atPath: scratch.path("e.csv.partial")))
    }

    /// SIGKILL `auditledger ingest` mid-stream: every event it reported as committed is there,
    /// with the reported hash, and the ledger verifies.
    @Test func killedIngestLosesNothingItAcknowledged() throws {
        let scratch = try Scratch()
        let db = scratch.path("ledger.sqlite")
        let input = scratch.path("input.ndjson")
        try sampleEvents(60_000).write(toFile: input, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["ingest", "--db", db, "--batch-size", "200", "--receipts", "-", input]
        process.currentDirectoryURL = CLI.repositoryRoot
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()

        var received = Data()
        while received.count(where: { $0 == 0x0a }) < 2_000 {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            received += chunk
        }
        kill(process.processIdentifier, SIGKILL)
        received += output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let receipts = String(decoding: received, as: UTF8.self).split(separator: "\n")
            .compactMap { try? JSONParser().parse(String($0)) }
        #expect(receipts.count >= 2_000)
        #expect(receipts.count < 60_000, "ingest finished before it was killed; the test proved nothing")
        let verify = try CLI.run(["verify", "--db", db])
        #expect(verify.status == 0, "\(verify.stdout)")
        let exported = try CLI.run(["export", "--db", db, "--account", "acme", "--format", "ndjson"]).stdout
        var stored: [UInt64: String] = [:]
        for line in exported.split(separator: "\n") {
            let event = try StoredEvent(json: JSONParser().parse(String(line)))
            stored[event.seq] = event.hash.description
        }
        for receipt in receipts {
            let seq = try #require(receipt["seq"]?.int64Value)
            #expect(stored[UInt64(seq)] == receipt["hash"]?.stringValue)
        }
    }
}

/// A small RFC 4180 reader, so the test does not trust the writer it checks.
enum CSVTestReader {
    static func rows(_ text: String) throws -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if quoted {
                if character == "\"" {
                    let next = text.index(after: index)
                    if next < text.endIndex && text[next] == "\"" { field.append("\""); index = next } else { quoted = false }
                } else { field.append(character) }
            } else if character == "\"" { quoted = true }
            else if character == "," { row.append(field); field = "" }
            else if character == "\r\n" || character == "\n" { row.append(field); rows.append(row); row = []; field = "" }
            else { field.append(character) }
            index = text.index(after: index)
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}

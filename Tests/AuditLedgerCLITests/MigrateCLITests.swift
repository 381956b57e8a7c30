import Foundation
import LedgerCore
import PostgresTestSupport
import Testing

/// `auditledger migrate` and `--store`, through the binary.
@Suite struct MigrateCLITests {
    /// A SQLite ledger with two accounts, a signed checkpoint and a token.
    static func source(_ scratch: Scratch) throws -> (db: String, tokenID: String) {
        let (db, _) = try TamperCLITests.ledger(scratch, events: 40)
        #expect(try CLI.run(["checkpoint", "--db", db]).status == 0)
        let token = try CLI.run(["token", "create", "--db", db, "--account", "acme", "--scope", "read"])
        #expect(token.status == 0, "\(token.stderr)")
        let id = try #require(token.stderr.split(separator: " ").dropFirst(2).first.map(String.init))
        return (db, id)
    }

    static func treeHead(_ store: [String]) throws -> String {
        let status = try CLI.run(["status"] + store)
        #expect(status.status == 0, "\(status.stderr)")
        return try #require(status.stdout.split(separator: "\n").first { $0.hasPrefix("tree head:") }.map(String.init))
    }

    @Test func copiesEventsCheckpointsAndTokensAndProvesTheCopy() throws {
        let scratch = try Scratch()
        let (db, tokenID) = try Self.source(scratch)
        let copy = scratch.path("copy.sqlite")
        let migrated = try CLI.run(["migrate", "--from", db, "--to", "sqlite:" + copy, "--batch", "7"])
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(migrated.stdout.contains("Copied 60 events (0 already there), 1 checkpoints and 1 tokens"))
        #expect(migrated.stdout.contains("Verified: 60 events, 1 checkpoints."))
        #expect(try Self.treeHead(["--db", copy]) == Self.treeHead(["--db", db]))
        // The copy is a ledger like any other: it verifies with the original key file and
        // answers searches exactly as the source does.
        #expect(try CLI.run(["verify", "--db", copy, "--key", db + ".key"]).status == 0)
        let search = ["search", "--account", "acme", "--format", "ndjson", "--all"]
        #expect(try CLI.run(search + ["--store", copy]).stdout == CLI.run(search + ["--db", db]).stdout)
        #expect(try CLI.run(["token", "list", "--db", copy]).stdout.contains(tokenID))
        // A retry of an event the source holds is still a replay on the copy, not a conflict.
        let retry = try CLI.run(["ingest", "--db", copy, "--receipts", "-", "-"], stdin: sampleEvents(1))
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(retry.stdout.contains("\"replayed\":true"))
    }

    @Test func copiesToPostgreSQLAndBackWithTheSameTree() async throws {
        let scratch = try Scratch()
        let (db, tokenID) = try Self.source(scratch)
        let database = try await PostgresTestCluster.shared.createDatabase()
        let there = try CLI.run(["migrate", "--from", "sqlite:" + db, "--to", database.url])
        #expect(there.status == 0, "\(there.stderr)")
        #expect(there.stdout.contains("Copied 60 events (0 already there), 1 checkpoints and 1 tokens"))
        #expect(try Self.treeHead(["--store", database.url]) == Self.treeHead(["--db", db]))
        // Every command works on the PostgreSQL ledger, with its key given explicitly.
        #expect(try CLI.run(["verify", "--store", database.url, "--key", db + ".key"]).status == 0)
        let search = ["search", "--account", "acme", "--format", "ndjson", "--all"]
        #expect(try CLI.run(search + ["--store", database.url]).stdout == CLI.run(search + ["--db", db]).stdout)
        #expect(try CLI.run(["token", "list", "--store", database.url]).stdout.contains(tokenID))
        let signed = try CLI.run(["checkpoint", "--store", database.url], environment: ["AUDITLEDGER_KEY": db + ".key"])
        #expect(signed.status == 0, "\(signed.stderr)")

        let back = scratch.path("back.sqlite")
        let returned = try CLI.run(["migrate", "--from", database.url, "--to", back])
        #expect(returned.status == 0, "\(returned.stderr)")
        #expect(try Self.treeHead(["--db", back]) == Self.treeHead(["--db", db]))
        #expect(try CLI.run(["verify", "--db", back, "--key", db + ".key"]).status == 0)
        try await PostgresTestCluster.shared.dropDatabase(database.name)
    }

    @Test func anInterruptedOrOlderCopyIsContinuedAndAForeignOneRefused() throws {
        let scratch = try Scratch()
        let (db, _) = try Self.source(scratch)
        let copy = scratch.path("copy.sqlite")
        #expect(try CLI.run(["migrate", "--from", db, "--to", copy]).status == 0)
        #expect(try CLI.run(["ingest", "--db", db, "-"], stdin: sampleEvents(5, idPrefix: "late")).status == 0)
        let again = try CLI.run(["migrate", "--from", db, "--to", copy])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("Copied 5 events (60 already there), 0 checkpoints"))
        #expect(try Self.treeHead(["--db", copy]) == Self.treeHead(["--db", db]))

        // Another ledger's history is never spliced onto this one.
        let other = scratch.path("other.sqlite")
        #expect(try CLI.run(["init", "--db", other]).status == 0)
        #expect(try CLI.run(["ingest", "--db", other, "-"], stdin: sampleEvents(3, idPrefix: "x")).status == 0)
        let foreign = try CLI.run(["migrate", "--from", db, "--to", other])
        #expect(foreign.status == 2)
        #expect(foreign.stderr.contains("another ledger") || foreign.stderr.contains("different ledger"))
        // Nor is a copy that is ahead of its source overwritten.
        let backwards = try CLI.run(["migrate", "--from", other, "--to", copy])
        #expect(backwards.status == 2)
    }

    @Test func badStoresAreUsageErrors() throws {
        let scratch = try Scratch()
        let db = scratch.path("ledger.sqlite")
        #expect(try CLI.run(["init", "--db", db]).status == 0)
        let cases: [([String], String)] = [
            (["migrate", "--from", db, "--to", db], "same store"),
            (["migrate", "--from", db, "--to", "mysql://host/db"], "unknown store mysql://"),
            (["migrate", "--from", scratch.path("missing.sqlite"), "--to", scratch.path("x.sqlite")], "no ledger at"),
            (["migrate", "--from", db, "--to", "sqlite:"], "names no file"),
            (["migrate", "--from", db, "--to", scratch.path("y.sqlite"), "--batch", "0"], "--batch must be 1–100000"),
            (["migrate", "--from", db, "--to", scratch.path("y.sqlite"), "--batch", "100000000"], "--batch must be 1–100000"),
            (["status", "--db", db, "--store", db], "not both"),
            (["backup", "--store", "postgres://localhost/ledger", scratch.path("b.sqlite")], "needs a SQLite ledger"),
            (["serve", "--demo", "--store", "postgres://localhost/ledger"], "needs a SQLite ledger"),
            (["init", "--store", "postgres://localhost/ledger"], "--key or $AUDITLEDGER_KEY"),
        ]
        for (arguments, message) in cases {
            let result = try CLI.run(arguments, environment: ["AUDITLEDGER_KEY": ""])
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        // $AUDITLEDGER_STORE chooses the ledger when no flag does.
        let viaEnvironment = try CLI.run(["status"], environment: ["AUDITLEDGER_STORE": "sqlite:" + db])
        #expect(viaEnvironment.status == 0 && viaEnvironment.stdout.contains("ledger:      \(db)"))
    }
}

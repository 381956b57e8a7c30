import Foundation
import LedgerCore
@testable import LedgerPostgres
import LedgerStore
import LedgerTestSupport
import PostgresNIO
import Testing
import PostgresTestSupport
import _ConnectionPoolModule

/// Several nodes, one history: what only the PostgreSQL backend promises.
@Suite(.serialized) struct PostgresNodesTests {
    @Test func appendOnlyTriggersRefuseUpdateDeleteAndTruncate() async throws {
        try await withLedger(.postgres) { test in
            // A row in every table, so that row triggers have something to refuse.
            try await test.append(5)
            var factory = EventFactory(seed: 3)
            _ = try await test.ledger.append([factory.event(clientID: "k1")])
            let token = try await test.ledger.createToken(account: "acme", scope: .read, name: nil)
            _ = try await test.ledger.revokeToken(id: token.token.id)
            _ = try await test.checkpointService().checkpoint()
            for table in PostgresSchema.appendOnlyTables {
                await #expect(throws: (any Error).self, "\(table)") { try await test.execute("TRUNCATE \(table) CASCADE") }
            }
            for sql in ["UPDATE events SET name = 'x' WHERE seq = 1", "DELETE FROM events WHERE seq = 5",
                        "UPDATE merkle_nodes SET idx = idx + 100", "DELETE FROM checkpoints", "UPDATE tokens SET scope = 'admin'",
                        "DELETE FROM ledger_meta", "DELETE FROM token_revocations", "UPDATE account_names SET name = 'x'",
                        "DELETE FROM event_targets", "UPDATE idempotency_keys SET seq = 1", "DELETE FROM accounts"] {
                do {
                    try await test.execute(sql)
                    Issue.record("\(sql) was accepted")
                } catch {
                    #expect("\(PostgresErrors.readable(error))".contains("append-only"), "\(sql): \(error)")
                }
            }
            #expect(try await test.ledger.status().events == 6)
            let report = try await test.ledger.verify(progress: nil)
            #expect(report.passed && !report.warnings.contains { $0.contains("append-only") })
        }
    }

    /// After a minute of failed connection attempts postgres-nio's pool fails every lease at once
    /// with its circuit breaker's error. That is the database being gone (503 with Retry-After),
    /// not an internal error: a node whose database had refused connections for over a minute
    /// answered /healthz with 500 (reproduced with `ALTER DATABASE … WITH ALLOW_CONNECTIONS false`).
    @Test func aTrippedConnectionCircuitBreakerIsTheStoreBeingUnavailable() {
        #expect(PostgresErrors.readable(ConnectionPoolError.connectionCreationCircuitBreakerTripped) is StoreUnavailableError)
        #expect(!(PostgresErrors.readable(ConnectionPoolError.requestCancelled) is StoreUnavailableError))
    }

    /// Two instances on one database, appending at once: one dense `seq`, intact chains, one tree.
    @Test func twoNodesAppendingConcurrentlyKeepOneHistory() async throws {
        try await withLedger(.postgres) { test in
            let nodes = [test.ledger, try await test.openAnother()]
            let receipts = try await withThrowingTaskGroup(of: [AppendReceipt].self) { group in
                for task in 0..<32 {
                    let node = nodes[task % 2]
                    group.addTask {
                        var factory = EventFactory(seed: UInt64(500 + task))
                        var all: [AppendReceipt] = []
                        for round in 0..<10 {
                            all += try await node.append((0..<(1 + round % 3)).map { _ in factory.event() })
                        }
                        return all
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let total = UInt64(receipts.count)
            #expect(Set(receipts.map(\.seq)) == Set(1...total))
            let heads = [try await nodes[0].treeHead(), try await nodes[1].treeHead()]
            #expect(heads[0] == heads[1] && heads[0].size == total)
            let report = try await nodes[1].verify(progress: nil)
            #expect(report.passed && report.eventsChecked == total)
            // Proofs from either node verify against the same root.
            let leaf = try #require(try await nodes[0].leafHash(seq: total / 2))
            for node in nodes {
                let proof = try await node.inclusionProof(seq: total / 2, treeSize: total)
                #expect(MerkleVerifier.verifyInclusion(leafHash: leaf, leafIndex: total / 2 - 1, treeSize: total, proof: proof,
                                                       root: heads[0].rootHash))
            }
            // Per-account chains are dense whichever node wrote each event.
            for account in EventFactory(seed: 0).accounts {
                let cursor = try await nodes[0].export(ExportRequest(account: account))
                let chain = try await cursor.next(100_000)
                #expect(chain.map(\.accountSeq) == Array(1...UInt64(chain.count)))
            }
        }
    }

    /// received_at never goes backwards across nodes, even when a node's clock is behind.
    @Test func receiveTimesNeverGoBackwardsAcrossNodes() async throws {
        let ahead = Timestamp(microseconds: FixedClock.start.microseconds + 3_600_000_000)
        try await withLedger(.postgres, clock: { ahead }) { test in
            try await test.append(3)
            let behind = try await PostgresLedger.open(url: test.location, create: false, options: LedgerFixture.testOptions,
                                                       clock: { FixedClock.start })
            var factory = EventFactory(seed: 9)
            _ = try await behind.append([factory.event()])
            await behind.close()
            let ledger = try #require(test.ledger as? PostgresLedger)
            let stored = try await ledger.storedEvents(fromSeq: 1, limit: 10)
            #expect(stored.map(\.event.receivedAt) == Array(repeating: ahead, count: 4))
            #expect(try await test.ledger.verify(progress: nil).passed)
        }
    }

    /// A node whose connection dies while it waits inside its transaction loses only what it had
    /// not acknowledged; the other node carries on once the lock holder is gone.
    @Test func aWriterWhoseConnectionDiesLosesNothingAcknowledged() async throws {
        try await withLedger(.postgres) { test in
            let victim = test.ledger
            let survivor = try await test.openAnother()
            var factory = EventFactory(seed: 1)
            let acknowledged = try await victim.append((0..<5).map { _ in factory.event() })

            try await test.withPostgres { holder in
                let logger = PostgresTestCluster.quietLogger
                // Play a node stalled mid-commit: hold the writer lock in an open transaction.
                try await holder.query("BEGIN", logger: logger)
                try await holder.query("SELECT pg_advisory_xact_lock(\(PostgresGroupCommitWriter.writerLockKey))", logger: logger)
                let pending = Task { try await victim.append([EventFactory.event(seed: 2)]) }
                let waiting = Task { try await survivor.append([EventFactory.event(seed: 3)]) }
                // Kill the victim's connection while it waits for the lock inside its transaction.
                var waiters: [Int32] = []
                for _ in 0..<500 where waiters.count < 2 {
                    try await Task.sleep(for: .milliseconds(10))
                    // Only this test's database: pg_locks is cluster-wide, and other tests run at
                    // the same time on their own databases (killing their waiters broke them).
                    let rows = try await holder.query("""
                        SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database
                        WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()
                        ORDER BY l.pid
                        """, logger: logger)
                    waiters = []
                    for try await pid in rows.decode(Int32.self) { waiters.append(pid) }
                }
                #expect(waiters.count == 2, "both nodes wait for the writer lock inside their transactions")
                let pid = try #require(waiters.first)
                // Terminate one of the two waiting nodes' connections, then release the lock.
                try await holder.query("SELECT pg_terminate_backend(\(pid))", logger: logger)
                try await holder.query("ROLLBACK", logger: logger)
                let outcomes = [await pending.result, await waiting.result]
                #expect(outcomes.contains { (try? $0.get()) != nil }, "the node whose connection lived committed")
                #expect(outcomes.contains { (try? $0.get()) == nil }, "the node whose connection died got an error")
                for case .failure(let error) in outcomes {
                    #expect("\(error)".hasPrefix("PostgreSQL"), "a readable error: \(error)")
                    #expect(error is StoreUnavailableError, "an outage the server answers with 503: \(error)")
                }
            }
            // Both nodes keep working; nothing acknowledged is lost and seq stays dense.
            _ = try await victim.append([EventFactory.event(seed: 4)])
            _ = try await survivor.append([EventFactory.event(seed: 5)])
            for receipt in acknowledged {
                #expect(try await survivor.leafHash(seq: receipt.seq) == receipt.hash)
            }
            let report = try await survivor.verify(progress: nil)
            #expect(report.passed)
            #expect(report.eventsChecked == (try await victim.treeHead()).size)
        }
    }

    @Test func openingRefusesBadURLsUnreachableServersAndMissingLedgers() async throws {
        for url in ["mysql://localhost/db", "postgres://localhost", "postgres:///db", "postgres://host:99999/db",
                    "postgres://host/db?sslmode=sometimes"] {
            await #expect(throws: PostgresLedgerError.self, "\(url)") { try await PostgresLedger.open(url: url) }
        }
        do {
            _ = try await PostgresLedger.open(url: "postgres:///db?host=/nonexistent-dir&user=nobody")
            Issue.record("opened a ledger on a socket that does not exist")
        } catch let error as PostgresLedgerError {
            guard case .unreachable = error else { Issue.record("\(error)"); return }
            #expect(error.description.contains("/nonexistent-dir/.s.PGSQL.5432"))
        }
        let database = try await PostgresTestCluster.shared.createDatabase()
        do {
            _ = try await PostgresLedger.open(url: database.url, create: false)
            Issue.record("opened a ledger in an empty database")
        } catch let error as PostgresLedgerError {
            #expect(error.description.contains("no ledger in"), "\(error)")
            #expect(error.description.contains("auditledger init"))
        }
        try await PostgresTestCluster.shared.dropDatabase(database.name)
    }

    @Test func urlFormsAreParsedAsLibpqDoes() throws {
        let tcp = try PostgresURL("postgresql://alice:s%40cret@db.example:6543/ledger?sslmode=disable")
        #expect(tcp.configuration.host == "db.example" && tcp.configuration.port == 6543)
        #expect(tcp.configuration.username == "alice" && tcp.configuration.password == "s@cret")
        #expect(tcp.configuration.database == "ledger")
        #expect(!tcp.displayName.contains("cret"))
        let socket = try PostgresURL("postgres:///ledger?host=/run/postgresql&user=svc&port=5433")
        #expect(socket.configuration.unixSocketPath == "/run/postgresql/.s.PGSQL.5433")
        #expect(socket.configuration.username == "svc" && socket.configuration.database == "ledger")
        #expect(PostgresURL.redacted("postgres://u:hunter2@h/db").contains("hunter2") == false)
    }
}

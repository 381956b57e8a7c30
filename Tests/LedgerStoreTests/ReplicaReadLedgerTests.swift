import Foundation
import LedgerCore
@testable import LedgerStore
import LedgerTestSupport
import Testing

/// Reads from a trailing replica never show less than the node's own writes. The "replica"
/// here is a second ledger kept up by `LedgerCopier`, which is what replication looks like
/// from the node: the same history, some time later.
@Suite struct ReplicaReadLedgerTests {
    @Test func readsWaitForTheReplicaToHoldTheNodesOwnWrites() async throws {
        let primary = try TestLedger(), replica = try TestLedger()
        let node = ReplicaReadLedger(primary: primary.ledger, replica: replica.ledger, maxLag: .seconds(10))
        var factory = EventFactory(seed: 7)
        let receipts = try await node.append((0..<20).map { _ in factory.event() })
        let account = "acme"

        // Replication catches up a little later; the read waits for it instead of answering
        // from the replica's empty state.
        let replication = Task {
            try await Task.sleep(for: .milliseconds(150))
            _ = try await LedgerCopier(source: primary.ledger, destination: replica.ledger).run()
        }
        let page = try await node.search(SearchQuery(account: account))
        try await replication.value
        let expected = try await primary.ledger.search(SearchQuery(account: account))
        #expect(page.events == expected.events && !page.events.isEmpty)
        #expect(try await node.treeHead() == primary.ledger.treeHead())
        #expect(try await node.treeHead().size == receipts.map(\.seq).max())
    }

    @Test func aReplicaThatDoesNotCatchUpIsAnErrorNotAStaleAnswer() async throws {
        let primary = try TestLedger(), replica = try TestLedger()
        let node = ReplicaReadLedger(primary: primary.ledger, replica: replica.ledger, maxLag: .milliseconds(100))
        // Before this node wrote anything, the replica answers as it is.
        #expect(try await node.treeHead().size == 0)
        var factory = EventFactory(seed: 8)
        _ = try await node.append([factory.event()])
        await #expect(throws: ReplicaLagError.self) { try await node.status() }
        // Checkpoints and the identity are the primary's, whatever the replica holds.
        let signer = try NoteSigner.generate(name: "replica.test/key")
        try await node.setIdentity(LedgerIdentity(signer: signer))
        #expect(try await node.identity()?.origin == "replica.test/key")
        #expect(try await replica.ledger.identity() == nil)
    }
}

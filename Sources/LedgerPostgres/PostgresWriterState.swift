import LedgerCore
import Logging
import PostgresNIO

/// What one node's writer keeps between its commits so that an append needs no reads for
/// `seq`, chain heads or known names: valid only while no other node appended.
///
/// Every commit checks the stored tail under the writer lock (`synchronise`) and reloads when
/// another node moved it; a failed commit forgets everything (`invalidate`).
/// A class owned by the writer actor, so async reloads can update it in place; its async methods
/// run isolated to the caller (the writer), never concurrently with it.
final class PostgresWriterState {
    struct AccountHead {
        var accountSeq: UInt64
        var hash: MerkleHash
        static let none = AccountHead(accountSeq: 0, hash: StoredEvent.zeroHash)
    }

    private(set) var nextSeq: UInt64 = 1
    var lastReceivedAt = Timestamp(microseconds: 0)
    /// The right edge of the Merkle tree: enough to append the next leaf.
    var frontier = MerkleFrontier()
    private var heads: [String: AccountHead] = [:]
    private var knownNames: Set<String> = []
    private var isLoaded = false
    private static let maxCachedEntries = 500_000

    func invalidate() { isLoaded = false }

    /// Under the writer lock: reloads `seq`, the last receive time and the frontier (≤ 64 point
    /// reads) when the stored tree is not the one this node last committed, and drops the heads.
    func synchronise(on connection: PostgresConnection, logger: Logger,
                     isolation: isolated (any Actor)? = #isolation) async throws {
        let tail = try await connection.rows("SELECT seq, received_at FROM events ORDER BY seq DESC LIMIT 1",
                                             as: (Int64, Int64).self, logger: logger).first
        let size = UInt64(tail?.0 ?? 0)
        if isLoaded && size == nextSeq - 1 { return }
        heads.removeAll(keepingCapacity: true)
        knownNames.removeAll(keepingCapacity: true)
        nextSeq = size + 1
        lastReceivedAt = Timestamp(microseconds: tail?.1 ?? 0)
        let edge = MerkleFrontier.rightEdge(treeSize: size)
        let hashes = try await PostgresMerkleNodes.fetch(edge, on: connection, logger: logger)
        frontier = try MerkleFrontier(size: size, rightEdge: edge.map { id in
            guard let hash = hashes[id] else { throw MerkleError.missingNode(id) }
            return hash
        })
        isLoaded = true
    }

    /// Reads the chain heads of the accounts not cached, in one query (each one index probe).
    func loadHeads(of accounts: Set<String>, on connection: PostgresConnection, logger: Logger,
                   isolation: isolated (any Actor)? = #isolation) async throws {
        let missing = accounts.filter { heads[$0] == nil }
        if missing.isEmpty { return }
        if heads.count + missing.count > Self.maxCachedEntries { heads.removeAll(keepingCapacity: true) }
        let names = Array(missing)
        let query: PostgresQuery = """
            SELECT a.account, h.account_seq, h.hash FROM unnest(\(names)::text[]) AS a(account)
            CROSS JOIN LATERAL (SELECT account_seq, hash FROM events WHERE account = a.account
                                ORDER BY account_seq DESC LIMIT 1) AS h
            """
        for account in missing { heads[account] = .none }
        for (account, accountSeq, hash) in try await connection.rows(query, as: (String, Int64, ByteBuffer).self, logger: logger) {
            heads[account] = AccountHead(accountSeq: UInt64(accountSeq), hash: MerkleHash(bytes: hash.readableBytesView) ?? StoredEvent.zeroHash)
        }
    }

    /// The account's head; `loadHeads` must have covered it in this commit.
    func head(of account: String) -> AccountHead { heads[account] ?? .none }

    /// Records a stored event: the next `seq` and the account's new head.
    func advance(_ account: String, to head: AccountHead) {
        heads[account] = head
        nextSeq += 1
    }

    /// True the first time a name is seen for an account since the cache was last emptied.
    func noteName(_ name: String, account: String) -> Bool {
        if knownNames.count >= Self.maxCachedEntries { knownNames.removeAll(keepingCapacity: true) }
        return knownNames.insert(account + "\u{0}" + name).inserted
    }
}

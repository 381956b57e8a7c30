import LedgerCore

/// What the writer keeps in memory between commits so that an append needs no reads for
/// `seq`, the account chain's head, or which names and accounts exist.
///
/// Everything here can be rebuilt from the database; `reset` forgets it after a failed commit
/// or when another process wrote to the same file.
struct WriterState {
    struct AccountHead {
        var accountSeq: UInt64
        var hash: MerkleHash
    }

    var nextSeq: UInt64 = 1
    var lastReceivedAt = Timestamp(microseconds: 0)
    /// The right edge of the Merkle tree: enough to append the next leaf and know the root.
    var frontier = MerkleFrontier()
    private var heads: [String: AccountHead] = [:]
    private var knownNames: Set<String> = []
    private static let maxCachedEntries = 500_000

    mutating func load(_ connection: SQLiteConnection) throws {
        heads.removeAll(keepingCapacity: true)
        knownNames.removeAll(keepingCapacity: true)
        nextSeq = UInt64(try connection.scalarInt("SELECT coalesce(max(seq), 0) FROM events") ?? 0) + 1
        let lastReceived = try connection.scalarInt("SELECT received_at FROM events ORDER BY seq DESC LIMIT 1")
        lastReceivedAt = Timestamp(microseconds: lastReceived ?? 0)
        let nodes = SQLiteMerkleNodes(connection: connection)
        let size = nextSeq - 1
        frontier = try MerkleFrontier(
            size: size,
            rightEdge: MerkleFrontier.rightEdge(treeSize: size).map { try nodes.perfectNode(level: $0.level, index: $0.index) })
    }

    /// The account's last `account_seq` and hash (zero and zeros for a new account).
    mutating func head(of account: String, _ connection: SQLiteConnection) throws -> AccountHead {
        if let head = heads[account] { return head }
        let statement = try connection.statement(
            "SELECT account_seq, hash FROM events WHERE account = ? ORDER BY account_seq DESC LIMIT 1")
        try statement.bind(1, account)
        let head = try statement.step()
            ? AccountHead(accountSeq: UInt64(statement.int64(0)), hash: statement.hash(1) ?? StoredEvent.zeroHash)
            : AccountHead(accountSeq: 0, hash: StoredEvent.zeroHash)
        statement.reset()
        if heads.count >= Self.maxCachedEntries { heads.removeAll(keepingCapacity: true) }
        heads[account] = head
        return head
    }

    mutating func advance(_ account: String, to head: AccountHead) {
        heads[account] = head
        nextSeq += 1
    }

    /// True the first time a name is seen for an account since the cache was last emptied.
    mutating func noteName(_ name: String, account: String) -> Bool {
        if knownNames.count >= Self.maxCachedEntries { knownNames.removeAll(keepingCapacity: true) }
        return knownNames.insert(account + "\u{0}" + name).inserted
    }
}

import LedgerCore
import LedgerStore

/// Decides, inside one group's transaction, what each append request stores: new events are
/// sealed (seq, chain, hash, tree) into the group's rows; an `id` the account already holds
/// (stored before, or earlier in this group) replays its receipt or, with other content, makes
/// the whole request fail with nothing of it stored, as in the SQLite writer.
struct PostgresAppendPlanner {
    struct StoredKey {
        var digest: [UInt8]
        var receipt: AppendReceipt
    }

    static func key(_ account: String, _ clientID: String) -> String { account + "\u{0}" + clientID }

    /// Keys held before the group started, then also those this group stores.
    private var keys: [String: StoredKey]

    init(storedKeys: [String: StoredKey]) {
        keys = storedKeys
    }

    mutating func plan(_ events: [NewEvent], state: PostgresWriterState, receivedAt: Timestamp,
                       rows: inout PostgresEventRows) throws -> Result<[AppendReceipt], Error> {
        let plan = IdempotencyPlan.slots(for: events) { account, clientID in
            keys[Self.key(account, clientID)].map { ($0.digest, $0.receipt.seq, $0.receipt) }
        }
        let slots: [IdempotencySlot<AppendReceipt>]
        switch plan {
        case .failure(let conflicts): return .failure(conflicts)
        case .success(let planned): slots = planned
        }
        var stored: [String: StoredKey] = [:]
        let receipts = try IdempotencyPlan.receipts(
            for: events, slots: slots,
            store: { event in
                let receipt = try seal(event, state: state, receivedAt: receivedAt, rows: &rows)
                if let clientID = event.content.clientID {
                    // Later requests of this group see the key as held.
                    var replay = receipt
                    replay.replayed = true
                    stored[Self.key(event.content.account, clientID)] = StoredKey(digest: event.contentDigest, receipt: replay)
                }
                return receipt
            },
            replay: { event, receipt in
                var receipt = receipt
                receipt.clientID = event.content.clientID
                return receipt
            })
        keys.merge(stored) { $1 }
        return .success(receipts)
    }

    private func seal(_ event: NewEvent, state: PostgresWriterState, receivedAt: Timestamp,
                      rows: inout PostgresEventRows) throws -> AppendReceipt {
        let content = event.content
        let head = state.head(of: content.account)
        let (stored, canonical) = StoredEvent.seal(
            seq: state.nextSeq, accountSeq: head.accountSeq + 1, receivedAt: receivedAt,
            content: content, geo: event.geo, previousHash: head.hash)
        rows.add(stored, canonical: canonical, contentDigest: event.contentDigest,
                 isNewName: state.noteName(content.name, account: content.account),
                 nodes: try state.frontier.append(leafHash: stored.hash))
        state.advance(content.account, to: .init(accountSeq: stored.accountSeq, hash: stored.hash))
        return AppendReceipt(clientID: content.clientID, seq: stored.seq, accountSeq: stored.accountSeq,
                             hash: stored.hash, replayed: false)
    }
}

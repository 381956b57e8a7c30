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

    private enum Slot {
        case new
        case storedReplay(AppendReceipt)
        case requestReplay(of: Int)
    }

    mutating func plan(_ events: [NewEvent], state: PostgresWriterState, receivedAt: Timestamp,
                       rows: inout PostgresEventRows) throws -> Result<[AppendReceipt], Error> {
        var slots: [Slot] = []
        slots.reserveCapacity(events.count)
        var conflicts: [IdempotencyConflict] = []
        var seenInRequest: [String: Int] = [:]
        for (index, event) in events.enumerated() {
            guard let clientID = event.content.clientID else { slots.append(.new); continue }
            let key = Self.key(event.content.account, clientID)
            if let earlier = seenInRequest[key] {
                if events[earlier].contentDigest == event.contentDigest {
                    slots.append(.requestReplay(of: earlier))
                } else {
                    conflicts.append(IdempotencyConflict(index: index, clientID: clientID, existingSeq: nil))
                    slots.append(.new)
                }
                continue
            }
            seenInRequest[key] = index
            if let existing = keys[key] {
                if existing.digest == event.contentDigest {
                    var receipt = existing.receipt
                    receipt.clientID = clientID
                    slots.append(.storedReplay(receipt))
                } else {
                    conflicts.append(IdempotencyConflict(index: index, clientID: clientID, existingSeq: existing.receipt.seq))
                    slots.append(.new)
                }
            } else {
                slots.append(.new)
            }
        }
        if !conflicts.isEmpty { return .failure(AppendError.conflicts(conflicts)) }

        var receipts: [AppendReceipt] = []
        receipts.reserveCapacity(events.count)
        for (event, slot) in zip(events, slots) {
            switch slot {
            case .new:
                let receipt = try seal(event, state: state, receivedAt: receivedAt, rows: &rows)
                if let clientID = event.content.clientID {
                    var stored = receipt
                    stored.replayed = true
                    keys[Self.key(event.content.account, clientID)] = StoredKey(digest: event.contentDigest, receipt: stored)
                }
                receipts.append(receipt)
            case .storedReplay(let receipt):
                receipts.append(receipt)
            case .requestReplay(let earlier):
                var receipt = receipts[earlier]
                receipt.replayed = true
                receipts.append(receipt)
            }
        }
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

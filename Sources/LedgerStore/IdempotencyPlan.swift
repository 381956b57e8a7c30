import LedgerCore

/// How each event of one append request is treated under idempotency, decided for the whole
/// request before anything of it is written (so a conflict leaves no trace). Every backend's
/// writer uses it inside its group's transaction.
package enum IdempotencySlot<Held> {
    /// Stored now.
    case new
    /// Its `id` is already held with the same content: the held event's receipt comes back.
    case held(Held)
    /// The same `id` and content appeared earlier in this request, at this index.
    case earlierInRequest(Int)
}

package enum IdempotencyPlan {
    /// The slot of every event, or the conflicts: ids held (or used earlier in the request)
    /// with different content.
    ///
    /// - Parameter held: the idempotency key the ledger holds for (account, id), if any: its
    ///   content digest, the `seq` of its event, and what the writer needs to replay it.
    package static func slots<Held>(
        for events: [NewEvent],
        held: (_ account: String, _ clientID: String) throws -> (digest: [UInt8], seq: UInt64, value: Held)?
    ) rethrows -> Result<[IdempotencySlot<Held>], AppendError> {
        var slots: [IdempotencySlot<Held>] = []
        slots.reserveCapacity(events.count)
        var conflicts: [IdempotencyConflict] = []
        var seenInRequest: [String: Int] = [:]
        for (index, event) in events.enumerated() {
            guard let clientID = event.content.clientID else { slots.append(.new); continue }
            let key = event.content.account + "\u{0}" + clientID
            if let earlier = seenInRequest[key] {
                if events[earlier].contentDigest == event.contentDigest {
                    slots.append(.earlierInRequest(earlier))
                } else {
                    conflicts.append(IdempotencyConflict(index: index, clientID: clientID, existingSeq: nil))
                    slots.append(.new)
                }
                continue
            }
            seenInRequest[key] = index
            if let existing = try held(event.content.account, clientID) {
                if existing.digest == event.contentDigest {
                    slots.append(.held(existing.value))
                } else {
                    conflicts.append(IdempotencyConflict(index: index, clientID: clientID, existingSeq: existing.seq))
                    slots.append(.new)
                }
            } else {
                slots.append(.new)
            }
        }
        return conflicts.isEmpty ? .success(slots) : .failure(.conflicts(conflicts))
    }

    /// The request's receipts in order: `store` seals and writes a new event, `replay` gives a
    /// held event's receipt, and a repeat within the request replays the earlier one's.
    package static func receipts<Held>(
        for events: [NewEvent], slots: [IdempotencySlot<Held>],
        store: (NewEvent) throws -> AppendReceipt, replay: (NewEvent, Held) throws -> AppendReceipt
    ) rethrows -> [AppendReceipt] {
        var receipts: [AppendReceipt] = []
        receipts.reserveCapacity(events.count)
        for (event, slot) in zip(events, slots) {
            switch slot {
            case .new:
                receipts.append(try store(event))
            case .held(let value):
                receipts.append(try replay(event, value))
            case .earlierInRequest(let earlier):
                var receipt = receipts[earlier]
                receipt.replayed = true
                receipts.append(receipt)
            }
        }
        return receipts
    }
}

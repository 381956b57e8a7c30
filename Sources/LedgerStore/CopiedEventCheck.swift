import LedgerCore

/// The checks every backend makes before importing a sealed event verbatim: a copy may only
/// bring in events that hash to their hash and continue their account's chain.
public enum CopiedEventCheck {
    /// The event's canonical bytes, after checking they hash to its stored hash.
    public static func canonicalBytes(of copied: CopiedEvent) throws -> [UInt8] {
        let bytes = copied.event.canonicalBytes
        guard EventHash.leafHash(of: bytes) == copied.event.hash else {
            throw CopyError.brokenEvent(seq: copied.event.seq, reason: "its content does not hash to its stored hash")
        }
        if copied.event.content.clientID != nil, copied.idempotencyDigest?.count != 32 {
            throw CopyError.brokenEvent(seq: copied.event.seq, reason: "it has a client id but no 32-byte idempotency digest")
        }
        return bytes
    }

    /// Checks `event` is the next link of a chain whose head is at `accountSeq` with `previousHash`.
    public static func continuesChain(_ event: StoredEvent, accountSeq: UInt64, previousHash: MerkleHash) throws {
        guard event.accountSeq == accountSeq + 1 else {
            throw CopyError.brokenEvent(seq: event.seq, reason: "account_seq \(event.accountSeq) does not follow \(accountSeq)")
        }
        guard event.previousHash == previousHash else {
            throw CopyError.brokenEvent(seq: event.seq, reason: "previous_hash does not match the account's last event")
        }
    }
}

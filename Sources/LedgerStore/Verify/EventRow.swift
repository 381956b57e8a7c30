import LedgerCore

/// One `events` row as stored: the canonical bytes and the columns derived from them.
package struct EventRow {
    package var seq: UInt64
    package var account: String?
    package var accountSeq: Int64
    package var clientID: String?
    package var name: String?
    package var actorID: String?
    package var occurredAt: Int64
    package var receivedAt: Int64
    package var outcome: Int64
    package var ip: [UInt8]?
    package var countryCode: String?
    package var city: String?
    package var hash: MerkleHash?
    package var canonical: [UInt8]?
    /// SQLite's word-filter columns `words_0` … `words_3` (schema migration 8), each NULL for an
    /// event stored before them; nil for a store without them.
    package var wordFilterColumns: [Int64?]? = nil

    package init(seq: UInt64, account: String?, accountSeq: Int64, clientID: String?, name: String?, actorID: String?, occurredAt: Int64, receivedAt: Int64, outcome: Int64, ip: [UInt8]?, countryCode: String?, city: String?, hash: MerkleHash?, canonical: [UInt8]?) {
        self.seq = seq
        self.account = account
        self.accountSeq = accountSeq
        self.clientID = clientID
        self.name = name
        self.actorID = actorID
        self.occurredAt = occurredAt
        self.receivedAt = receivedAt
        self.outcome = outcome
        self.ip = ip
        self.countryCode = countryCode
        self.city = city
        self.hash = hash
        self.canonical = canonical
    }
}

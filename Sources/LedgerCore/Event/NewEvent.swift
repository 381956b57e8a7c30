import Crypto

/// A validated event on its way into the ledger: its content, its location, and the digest
/// that idempotent retries are compared by.
public struct NewEvent: Hashable, Sendable {
    public var content: EventContent
    public var geo: GeoResult
    /// SHA-256 over what the client sent (not what the ledger added): a retry with the same
    /// `id` is a replay when this matches, a conflict when it does not. Empty for an event
    /// without a client id, which no retry can be matched with: encoding and hashing it for
    /// nothing cost every such event a few µs of intake.
    public let contentDigest: [UInt8]

    /// - Parameter occurredAtGiven: whether the client supplied `occurred_at`; a defaulted time
    ///   differs on every retry, so it must not take part in the idempotency digest.
    public init(content: EventContent, occurredAtGiven: Bool, geo: GeoResult = GeoResult(status: .noDatabase)) {
        self.content = content
        self.geo = geo
        self.contentDigest = content.clientID == nil ? [] : Self.digest(of: content, occurredAtGiven: occurredAtGiven)
    }

    private static func digest(of content: EventContent, occurredAtGiven: Bool) -> [UInt8] {
        var writer = CanonicalWriter()
        writer.writeContent(content, includeOccurredAt: occurredAtGiven)
        return Array(SHA256.hash(data: writer.bytes))
    }
}

/// An event as the ledger holds it: the client's content plus everything the ledger added,
/// all of it covered by `hash`.
public struct StoredEvent: Hashable, Sendable {
    /// Position in the whole ledger: dense, from 1. Leaf `seq - 1` of the Merkle tree.
    public var seq: UInt64
    /// Position in the account's chain: dense, from 1.
    public var accountSeq: UInt64
    public var receivedAt: Timestamp
    public var content: EventContent
    public var geo: GeoResult
    /// The hash of the account's previous event; 32 zero bytes for its first.
    public var previousHash: MerkleHash
    /// `SHA-256(0x00 || canonical bytes)`: the RFC 6962 leaf hash, leaf `seq - 1` of the tree.
    public var hash: MerkleHash

    public static let zeroHash = MerkleHash(bytes: [UInt8](repeating: 0, count: 32))!

    /// Builds the stored form and computes its hash.
    public init(seq: UInt64, accountSeq: UInt64, receivedAt: Timestamp, content: EventContent,
                geo: GeoResult, previousHash: MerkleHash) {
        self = Self.seal(seq: seq, accountSeq: accountSeq, receivedAt: receivedAt, content: content,
                         geo: geo, previousHash: previousHash).event
    }

    /// Builds the stored form and returns it with its canonical bytes, encoding them only once.
    public static func seal(seq: UInt64, accountSeq: UInt64, receivedAt: Timestamp, content: EventContent,
                            geo: GeoResult, previousHash: MerkleHash) -> (event: StoredEvent, canonicalBytes: [UInt8]) {
        var event = StoredEvent(seq: seq, accountSeq: accountSeq, receivedAt: receivedAt, content: content,
                                geo: geo, previousHash: previousHash, hash: StoredEvent.zeroHash)
        let bytes = CanonicalEncoding.encode(event)
        event.hash = EventHash.leafHash(of: bytes)
        return (event, bytes)
    }

    init(seq: UInt64, accountSeq: UInt64, receivedAt: Timestamp, content: EventContent,
         geo: GeoResult, previousHash: MerkleHash, hash: MerkleHash) {
        self.seq = seq
        self.accountSeq = accountSeq
        self.receivedAt = receivedAt
        self.content = content
        self.geo = geo
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The bytes that are hashed (see `CanonicalEncoding`).
    public var canonicalBytes: [UInt8] { CanonicalEncoding.encode(self) }
}

/// The event hash: RFC 6962 leaf hashing over the canonical bytes.
public enum EventHash {
    public static func leafHash(of canonicalBytes: [UInt8]) -> MerkleHash {
        MerkleHash.leaf(canonicalBytes)
    }
}

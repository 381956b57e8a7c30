import LedgerCore

/// Where a `/v1/stream` reader is in an account's chain: after `accountSeq`, whose event was
/// received at `receivedAt`. Opaque to clients as base64url of a version byte and both values.
///
/// The receive time lets the next poll start the store's export at the right place in
/// O(log n) (receive times never decrease along a chain) without a new storage query.
struct StreamPosition: Hashable, Sendable {
    static let version: UInt8 = 1
    static let start = StreamPosition(accountSeq: 0, receivedAt: .minimum)

    var accountSeq: UInt64
    var receivedAt: Timestamp

    var token: String {
        var bytes = [Self.version]
        bytes += Self.bigEndian(accountSeq)
        bytes += Self.bigEndian(UInt64(bitPattern: receivedAt.microseconds))
        return Base64URL.encode(bytes)
    }

    init(accountSeq: UInt64, receivedAt: Timestamp) {
        self.accountSeq = accountSeq
        self.receivedAt = receivedAt
    }

    init?(token: String) {
        guard token.utf8.count <= 32, let bytes = Base64URL.decode(token), bytes.count == 17, bytes[0] == Self.version else {
            return nil
        }
        let seq = bytes[1..<9].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let micros = Int64(bitPattern: bytes[9..<17].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        guard seq <= UInt64(Int64.max), micros >= Timestamp.minimum.microseconds, micros <= Timestamp.maximum.microseconds else {
            return nil
        }
        self.init(accountSeq: seq, receivedAt: Timestamp(microseconds: micros))
    }

    private static func bigEndian(_ value: UInt64) -> [UInt8] {
        stride(from: 56, through: 0, by: -8).map { UInt8(truncatingIfNeeded: value >> UInt64($0)) }
    }
}

import Crypto
import Foundation

/// A 32-byte SHA-256 value in an RFC 6962 / RFC 9162 Merkle tree: a leaf hash, an interior
/// node hash or a root hash.
///
/// The bytes are held inline (four machine words) rather than in an array, because the
/// frontier and the proof builders create and combine many of these on the ingest path and
/// a heap allocation per hash would dominate the cost of hashing 65 bytes.
public struct MerkleHash: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes, in order, reinterpreted as words only for storage; never read as numbers.
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// The number of bytes in a hash.
    public static let byteCount = 32

    /// The root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1).
    public static let emptyTree = MerkleHash(digest: SHA256.hash(data: [UInt8]()))

    /// Wraps exactly 32 bytes; returns nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        self.init(checkedBytes: bytes)
    }

    /// Callers have checked that there are exactly 32 bytes.
    private init(checkedBytes bytes: some Collection<UInt8>) {
        words = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { destination in
            for (offset, byte) in bytes.enumerated() { destination[offset] = byte }
        }
    }

    /// Parses 64 hexadecimal digits (either case); returns nil for anything else.
    public init?(hex: some StringProtocol) {
        let digits = Array(hex.utf8)
        guard digits.count == Self.byteCount * 2 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.byteCount)
        var index = 0
        while index < digits.count {
            guard let high = Self.hexValue(digits[index]), let low = Self.hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.init(checkedBytes: bytes)
    }

    init(digest: SHA256.Digest) {
        words = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { destination in
            digest.withUnsafeBytes { destination.copyMemory(from: $0) }
        }
    }

    /// The 32 bytes as an array.
    public var bytes: [UInt8] { withUnsafeBytes(Array.init) }

    /// Calls `body` with the 32 bytes, without copying them.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: words, body)
    }

    /// Lowercase hexadecimal, 64 characters.
    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(Self.byteCount * 2)
        withUnsafeBytes { bytes in
            for byte in bytes {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    public static func == (lhs: MerkleHash, rhs: MerkleHash) -> Bool {
        lhs.words == rhs.words
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension MerkleHash {
    /// Domain-separation prefixes of RFC 6962 §2.1, so that a leaf can never be passed off
    /// as an interior node (second-preimage attack).
    private static let leafPrefix: UInt8 = 0x00
    private static let nodePrefix: UInt8 = 0x01

    /// The leaf hash of an entry: `SHA-256(0x00 || data)`.
    public static func leaf(_ data: some DataProtocol) -> MerkleHash {
        var hasher = SHA256()
        Swift.withUnsafeBytes(of: leafPrefix) { hasher.update(bufferPointer: $0) }
        hasher.update(data: data)
        return MerkleHash(digest: hasher.finalize())
    }

    /// The hash of an interior node: `SHA-256(0x01 || left || right)`.
    public static func node(_ left: MerkleHash, _ right: MerkleHash) -> MerkleHash {
        var hasher = SHA256()
        Swift.withUnsafeBytes(of: nodePrefix) { hasher.update(bufferPointer: $0) }
        left.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        right.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return MerkleHash(digest: hasher.finalize())
    }
}

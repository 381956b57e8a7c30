/// An IPv4 or IPv6 address, parsed strictly. IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`)
/// are normalised to IPv4 so that one client has one address in the ledger.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// 4 bytes for IPv4, 16 for IPv6, network order.
    public let bytes: [UInt8]

    public var isIPv4: Bool { bytes.count == 4 }

    /// The address as 16 bytes (IPv4 as `::ffff:a.b.c.d`): one ordering for both families,
    /// used for CIDR ranges in storage.
    public var bytes16: [UInt8] {
        isIPv4 ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] + bytes : bytes
    }

    /// Builds an address from 4 or 16 raw bytes; 16 bytes that are IPv4-mapped become IPv4.
    public init?(bytes: [UInt8]) {
        switch bytes.count {
        case 4: self.bytes = bytes
        case 16 where Self.isIPv4Mapped(bytes): self.bytes = Array(bytes[12...])
        case 16: self.bytes = bytes
        default: return nil
        }
    }

    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard let parsed = Self.parseIPv4(utf8[...]) ?? Self.parseIPv6(utf8) else { return nil }
        self.init(bytes: parsed)
    }

    /// Dotted quad for IPv4, RFC 5952 text for IPv6.
    public var description: String {
        isIPv4 ? bytes.map(String.init).joined(separator: ".") : Self.formatIPv6(bytes)
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        lhs.bytes16.lexicographicallyPrecedes(rhs.bytes16)
    }

    private static func isIPv4Mapped(_ bytes: [UInt8]) -> Bool {
        bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
    }

    /// Strict dotted quad: four decimal parts 0–255, no leading zeros (which some parsers read as octal).
    static func parseIPv4(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let parts = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(4)
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            if part.count > 1 && part.first == UInt8(ascii: "0") { return nil }
            let value = part.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard value <= 255 else { return nil }
            result.append(UInt8(value))
        }
        return result
    }

    private static func parseIPv6(_ text: [UInt8]) -> [UInt8]? {
        guard (2...45).contains(text.count) else { return nil }
        let colon = UInt8(ascii: ":")
        // At most one "::" splits the address into a head and a tail; the gap is zeros.
        var gap: Range<Int>? = nil
        for index in 0..<(text.count - 1) where text[index] == colon && text[index + 1] == colon {
            guard gap == nil else { return nil }
            gap = index..<(index + 2)
        }
        let headText = gap.map { text[..<$0.lowerBound] } ?? text[...]
        let tailText = gap.map { text[$0.upperBound...] } ?? []
        guard var head = parseGroups(headText, mayEndWithIPv4: gap == nil),
              let tail = parseGroups(tailText, mayEndWithIPv4: true) else { return nil }
        if let gap {
            // ":::" and a lone colon next to the gap are malformed.
            if gap.lowerBound > 0 && text[gap.lowerBound - 1] == colon { return nil }
            if gap.upperBound < text.count && text[gap.upperBound] == colon { return nil }
            guard head.count + tail.count <= 14 else { return nil }
            head += [UInt8](repeating: 0, count: 16 - head.count - tail.count)
        }
        let bytes = head + tail
        return bytes.count == 16 ? bytes : nil
    }

    /// Colon-separated hex groups (1–4 digits each), the last one optionally a dotted quad.
    private static func parseGroups(_ text: ArraySlice<UInt8>, mayEndWithIPv4: Bool) -> [UInt8]? {
        if text.isEmpty { return [] }
        let groups = text.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        var bytes: [UInt8] = []
        for (index, group) in groups.enumerated() {
            if index == groups.count - 1, mayEndWithIPv4, group.contains(UInt8(ascii: ".")) {
                guard let v4 = parseIPv4(group) else { return nil }
                bytes += v4
                continue
            }
            guard (1...4).contains(group.count) else { return nil }
            var value: UInt16 = 0
            for byte in group {
                guard let digit = hexValue(byte) else { return nil }
                value = value << 4 | UInt16(digit)
            }
            bytes += [UInt8(value >> 8), UInt8(value & 0xff)]
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// RFC 5952: lowercase, no leading zeros, the longest run (≥ 2) of zero groups as "::".
    private static func formatIPv6(_ bytes: [UInt8]) -> String {
        let words = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        var bestStart = -1, bestLength = 0, runStart = -1
        for (index, word) in words.enumerated() {
            if word == 0 {
                if runStart < 0 { runStart = index }
                let length = index - runStart + 1
                if length > bestLength { bestStart = runStart; bestLength = length }
            } else {
                runStart = -1
            }
        }
        if bestLength < 2 { bestStart = -1 }
        var text = ""
        var index = 0
        while index < 8 {
            if index == bestStart {
                text += "::"
                index += bestLength
                continue
            }
            if !text.isEmpty && !text.hasSuffix(":") { text += ":" }
            text += String(words[index], radix: 16)
            index += 1
        }
        return text
    }
}

/// An address block in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`), or a single address.
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    public let address: IPAddress
    public let prefixLength: Int

    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let maxLength = address.isIPv4 ? 32 : 128
        var length = maxLength
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...3).contains(digits.count), digits.allSatisfy(\.isASCII), let value = Int(digits),
                  (0...maxLength).contains(value) else { return nil }
            length = value
        }
        self.address = address
        self.prefixLength = length
    }

    public var description: String { "\(address)/\(prefixLength)" }

    /// The lowest and highest address of the block, as 16-byte keys comparable with `IPAddress.bytes16`.
    public var range16: (lower: [UInt8], upper: [UInt8]) {
        let bits = address.isIPv4 ? prefixLength + 96 : prefixLength
        var lower = address.bytes16, upper = address.bytes16
        for bit in bits..<128 {
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            lower[bit / 8] &= ~mask
            upper[bit / 8] |= mask
        }
        return (lower, upper)
    }

    /// Compared on the 16-byte form, as storage compares, so an IPv6 block that covers
    /// `::ffff:0:0/96` also covers the IPv4 addresses mapped there.
    public func contains(_ candidate: IPAddress) -> Bool {
        let (lower, upper) = range16
        let key = candidate.bytes16
        return !key.lexicographicallyPrecedes(lower) && !upper.lexicographicallyPrecedes(key)
    }
}

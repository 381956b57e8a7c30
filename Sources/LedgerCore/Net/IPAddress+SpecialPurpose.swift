extension IPAddress {
    /// The special-purpose block this address falls in, or nil for an ordinary public address.
    /// Decided from the address alone, without any database, so it works with no City database
    /// configured and never sends a private address to one.
    public var specialPurpose: SpecialPurposeRange? {
        let table = isIPv4 ? SpecialPurposeTable.ipv4 : SpecialPurposeTable.ipv6
        return table.first { $0.contains(bytes) }?.range
    }
}

/// Prefix tables, most specific first where blocks nest (the first match wins).
/// Sources: https://www.iana.org/assignments/iana-ipv4-special-registry,
/// https://www.iana.org/assignments/iana-ipv6-special-registry,
/// https://www.iana.org/assignments/ipv6-address-space (only 2000::/3 is global unicast).
enum SpecialPurposeTable {
    struct Entry: Sendable {
        let prefix: [UInt8]
        let length: Int
        let range: SpecialPurposeRange

        init(_ prefix: [UInt8], _ length: Int, _ range: SpecialPurposeRange) {
            self.prefix = prefix
            self.length = length
            self.range = range
        }

        func contains(_ bytes: [UInt8]) -> Bool {
            let wholeBytes = length / 8
            for index in 0..<wholeBytes where bytes[index] != prefix[index] { return false }
            let remainingBits = length % 8
            guard remainingBits > 0 else { return true }
            let mask = UInt8(0xff) << UInt8(8 - remainingBits)
            return bytes[wholeBytes] & mask == prefix[wholeBytes] & mask
        }
    }

    static let ipv4: [Entry] = [
        Entry([0, 0, 0, 0], 32, .unspecified),
        Entry([0, 0, 0, 0], 8, .thisNetwork),
        Entry([10, 0, 0, 0], 8, .privateUse),
        Entry([100, 64, 0, 0], 10, .sharedAddressSpace),
        Entry([127, 0, 0, 0], 8, .loopback),
        Entry([169, 254, 0, 0], 16, .linkLocal),
        Entry([172, 16, 0, 0], 12, .privateUse),
        Entry([192, 0, 0, 0], 24, .ietfProtocolAssignments),
        Entry([192, 0, 2, 0], 24, .documentation),
        Entry([192, 31, 196, 0], 24, .as112),
        Entry([192, 52, 193, 0], 24, .automaticMulticastTunneling),
        Entry([192, 88, 99, 0], 24, .sixToFourRelayAnycast),
        Entry([192, 168, 0, 0], 16, .privateUse),
        Entry([192, 175, 48, 0], 24, .as112),
        Entry([198, 18, 0, 0], 15, .benchmarking),
        Entry([198, 51, 100, 0], 24, .documentation),
        Entry([203, 0, 113, 0], 24, .documentation),
        Entry([224, 0, 0, 0], 4, .multicast),
        Entry([255, 255, 255, 255], 32, .limitedBroadcast),
        Entry([240, 0, 0, 0], 4, .reserved),
    ]

    static let ipv6: [Entry] = [
        Entry(v6([]), 128, .unspecified),
        Entry(v6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), 128, .loopback),
        Entry(v6([0x00, 0x64, 0xff, 0x9b]), 96, .ipv4IPv6Translation),
        Entry(v6([0x00, 0x64, 0xff, 0x9b, 0x00, 0x01]), 48, .ipv4IPv6Translation),
        Entry(v6([0x01, 0x00]), 64, .discardOnly),
        Entry(v6([0x20, 0x01, 0x00, 0x00]), 32, .teredo),
        Entry(v6([0x20, 0x01, 0x00, 0x02, 0x00, 0x00]), 48, .benchmarking),
        Entry(v6([0x20, 0x01, 0x00, 0x00]), 23, .ietfProtocolAssignments),
        Entry(v6([0x20, 0x01, 0x0d, 0xb8]), 32, .documentation),
        Entry(v6([0x3f, 0xff]), 20, .documentation),
        Entry(v6([0x26, 0x20, 0x00, 0x4f, 0x80, 0x00]), 48, .as112),
        Entry(v6([0x5f, 0x00]), 16, .segmentRouting),
        Entry(v6([0xfc]), 7, .uniqueLocal),
        Entry(v6([0xfe, 0x80]), 10, .linkLocal),
        Entry(v6([0xff]), 8, .multicast),
        // Everything outside global unicast 2000::/3 not named above is reserved by the IETF.
        Entry(v6([0x00]), 3, .reserved),
        Entry(v6([0x40]), 2, .reserved),
        Entry(v6([0x80]), 1, .reserved),
    ]

    private static func v6(_ leading: [UInt8]) -> [UInt8] {
        leading + [UInt8](repeating: 0, count: 16 - leading.count)
    }
}

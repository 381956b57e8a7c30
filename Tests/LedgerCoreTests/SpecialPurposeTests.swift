import LedgerCore
import Testing

@Suite struct SpecialPurposeTests {
    @Test(arguments: [
        ("0.0.0.0", SpecialPurposeRange.unspecified),
        ("0.1.2.3", .thisNetwork),
        ("10.0.0.1", .privateUse),
        ("10.255.255.255", .privateUse),
        ("100.64.0.1", .sharedAddressSpace),
        ("100.127.255.255", .sharedAddressSpace),
        ("127.0.0.1", .loopback),
        ("169.254.10.20", .linkLocal),
        ("172.16.0.1", .privateUse),
        ("172.31.255.255", .privateUse),
        ("192.0.0.9", .ietfProtocolAssignments),
        ("192.0.2.55", .documentation),
        ("192.31.196.1", .as112),
        ("192.52.193.1", .automaticMulticastTunneling),
        ("192.88.99.1", .sixToFourRelayAnycast),
        ("192.168.1.1", .privateUse),
        ("192.175.48.6", .as112),
        ("198.18.0.1", .benchmarking),
        ("198.19.255.255", .benchmarking),
        ("198.51.100.7", .documentation),
        ("203.0.113.200", .documentation),
        ("224.0.0.251", .multicast),
        ("239.255.255.250", .multicast),
        ("240.0.0.1", .reserved),
        ("255.255.255.254", .reserved),
        ("255.255.255.255", .limitedBroadcast),
        ("::", .unspecified),
        ("::1", .loopback),
        ("::ffff:10.1.2.3", .privateUse),
        ("::ffff:127.0.0.1", .loopback),
        ("64:ff9b::808:808", .ipv4IPv6Translation),
        ("64:ff9b:1::1", .ipv4IPv6Translation),
        ("100::1", .discardOnly),
        ("2001::1", .teredo),
        ("2001:2::1", .benchmarking),
        ("2001:10::1", .ietfProtocolAssignments),
        ("2001:db8::1", .documentation),
        ("3fff:fff::1", .documentation),
        ("2620:4f:8000::1", .as112),
        ("5f00::1", .segmentRouting),
        ("fc00::1", .uniqueLocal),
        ("fdff:ffff::1", .uniqueLocal),
        ("fe80::1", .linkLocal),
        ("febf:ffff::1", .linkLocal),
        ("ff02::1", .multicast),
        ("::1.2.3.4", .reserved),
        ("4000::1", .reserved),
        ("fec0::1", .reserved),
    ])
    func classifiesSpecialPurposeAddresses(text: String, expected: SpecialPurposeRange) throws {
        let address = try #require(IPAddress(text))
        #expect(address.specialPurpose == expected)
    }

    /// The addresses just outside each block boundary are public, so an off-by-one in a
    /// prefix length shows up here.
    @Test(arguments: [
        "1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
        "126.255.255.255", "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255",
        "172.32.0.0", "192.0.1.0", "192.0.3.0", "192.167.255.255", "192.169.0.0", "198.17.255.255",
        "198.20.0.0", "198.51.101.0", "203.0.112.255", "223.255.255.255", "81.2.69.142",
        "2001:200::1", "2001:4860:4860::8888", "2002:c000:201::1", "2a02:cf40::1", "2001:db9::1",
        "3ffe::1", "2600::1", "2620:4f:8001::1", "2001:218::1",
    ])
    func publicAddressesAreNotSpecial(text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.specialPurpose == nil, "\(text) is \(String(describing: address.specialPurpose))")
    }

    @Test func everyRangeHasADistinctName() {
        let names = SpecialPurposeRange.allCases.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(!names.contains(""))
    }
}

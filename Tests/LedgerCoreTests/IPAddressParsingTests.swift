import LedgerCore
import Testing

@Suite struct IPAddressParsingTests {
    @Test(arguments: [
        ("1.2.3.4", [UInt8]([1, 2, 3, 4])),
        ("255.255.255.255", [255, 255, 255, 255]),
        ("0.0.0.0", [0, 0, 0, 0]),
        ("::ffff:1.2.3.4", [1, 2, 3, 4]),
        ("::FFFF:102:304", [1, 2, 3, 4]),
        ("0:0:0:0:0:ffff:1.2.3.4", [1, 2, 3, 4]),
    ])
    func parsesIPv4AndNormalisesMapped(text: String, bytes: [UInt8]) throws {
        let address = try #require(IPAddress(text))
        #expect(address.isIPv4)
        #expect(address.bytes == bytes)
    }

    @Test(arguments: [
        ("::", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:db8::0:1", "2001:db8::1"),
        ("2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        ("::1.2.3.4", "::102:304"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        ("1:2:3:4:5:6:7.8.9.10", "1:2:3:4:5:6:708:90a"),
    ])
    func parsesIPv6Forms(text: String, canonical: String) throws {
        let address = try #require(IPAddress(text))
        #expect(!address.isIPv4)
        #expect(address.description == canonical)
        #expect(IPAddress(address.description) == address)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "256.1.1.1", "1.2.3.-4", " 1.2.3.4", "1.2.3.4 ",
        ":", ":::", "::::", "1:::2", "1::2::3", ":1::2", "1::2:", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::",
        "1:2:3:4::5:6:7:8", "12345::1", "g::1", "fe80::1%eth0", "fe80::1%1", "::ffff:1.2.3.04",
        "1.2.3.4::", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:6:1.2.3", "[::1]",
    ])
    func rejectsMalformed(text: String) {
        #expect(IPAddress(text) == nil, "\(text) should be rejected")
    }

    @Test func mappedAndPlainIPv4AreOneAddress() throws {
        let mapped = try #require(IPAddress(bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 8, 8, 4, 4]))
        #expect(mapped == IPAddress("8.8.4.4"))
        #expect(mapped.bytes16.count == 16)
    }
}

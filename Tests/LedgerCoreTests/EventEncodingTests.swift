import Foundation
import LedgerCore
import Testing

@Suite struct EventEncodingTests {
    static let event = StoredEvent(
        seq: 7, accountSeq: 3, receivedAt: Timestamp(rfc3339: "2026-11-21T12:00:00.123456Z")!,
        content: EventContent(
            clientID: "evt-1", account: "acme", name: "stack.deploy",
            actor: EventActor(id: "u_42", name: "Jane", email: "jane@acme.example", type: .user),
            ip: IPAddress("81.2.69.142"), occurredAt: Timestamp(rfc3339: "2026-11-21T11:59:00Z")!,
            targets: [EventTarget(type: "stack", id: "prod", name: "Production"), EventTarget(type: "server", id: "web-3")],
            outcome: .failure, description: "Déployé, \"quoted\"\nnext line", userAgent: "curl/8.0",
            metadata: #"{"a":[1,2.50,{"b":null}],"z":"ü"}"#),
        geo: GeoResult(status: .ok, location: GeoLocation(
            countryCode: "GB", country: "United Kingdom", subdivisionCode: "ENG", subdivision: "England",
            city: "London", postalCode: "EC1A", latitude: 51.5142, longitude: -0.0931, accuracyRadiusKm: 10,
            timeZone: "Europe/London", continentCode: "EU", databaseType: "GeoLite2-City", databaseBuildEpoch: 1_735_689_600)),
        previousHash: MerkleHash(hex: String(repeating: "ab", count: 32))!)

    /// The canonical bytes are what every stored hash covers: they must never change. The
    /// expected values come from scripts/canonical-reference.py, an independent implementation
    /// of the documented layout, not from this code.
    static let goldenHex = [
        "0100000000000000070000000000000003000660c819a352400000000461636d6501000000056576742d310000000c73",
        "7461636b2e6465706c6f7900000004755f343201000000044a616e6501000000116a616e654061636d652e6578616d70",
        "6c6501000000047573657201045102458e000660c8160de900010000000200000005737461636b0000000470726f6401",
        "0000000a50726f64756374696f6e00000006736572766572000000057765622d3300010000001d44c3a9706c6f79c3a9",
        "2c202271756f746564220a6e657874206c696e6501000000086375726c2f382e3001000000227b2261223a5b312c322e",
        "35302c7b2262223a6e756c6c7d5d2c227a223a22c3bc227d000101000000024742010000000e556e69746564204b696e",
        "67646f6d0100000003454e470100000007456e676c616e6401000000064c6f6e646f6e010000000445433141014049c1",
        "d14e3bcd3601bfb7d566cf41f213010000000a010000000d4575726f70652f4c6f6e646f6e0100000002455501000000",
        "0d47656f4c697465322d43697479010000000067748580ababababababababababababababababababababababababab",
        "ababababababab",
    ].joined()

    @Test func canonicalBytesAndHashArePinned() {
        let hex = Self.event.canonicalBytes.map { String(format: "%02x", $0) }.joined()
        #expect(hex == Self.goldenHex)
        #expect(Self.event.hash.description == "8c2f2325f9cbdbfb1c5f5380831c14a9cba1a6d7cbb0cf3f3a87e1929041e3bc")
    }

    @Test func canonicalBytesDecodeBackToTheSameEvent() throws {
        let decoded = try CanonicalEncoding.decode(Self.event.canonicalBytes)
        #expect(decoded == Self.event)
    }

    @Test func everyFieldChangesTheHash() {
        var changed = Self.event.content
        changed.outcome = .success
        let other = StoredEvent(seq: 7, accountSeq: 3, receivedAt: Self.event.receivedAt, content: changed,
                                geo: Self.event.geo, previousHash: Self.event.previousHash)
        #expect(other.hash != Self.event.hash)
        let moved = StoredEvent(seq: 8, accountSeq: 3, receivedAt: Self.event.receivedAt, content: Self.event.content,
                                geo: Self.event.geo, previousHash: Self.event.previousHash)
        #expect(moved.hash != Self.event.hash)
    }

    @Test func truncatedOrExtendedBytesAreRefused() {
        let bytes = Self.event.canonicalBytes
        for cut in [0, 1, 9, 100, bytes.count - 1] {
            #expect(throws: CanonicalDecodingError.self) { try CanonicalEncoding.decode(Array(bytes[..<cut])) }
        }
        #expect(throws: CanonicalDecodingError.self) { try CanonicalEncoding.decode(bytes + [0]) }
        var wrongVersion = bytes
        wrongVersion[0] = 2
        #expect(throws: CanonicalDecodingError.unsupportedVersion(2)) { try CanonicalEncoding.decode(wrongVersion) }
    }

    /// Stored bytes are not trusted: a string field that is not valid UTF-8 is refused, never
    /// repaired into different text (which would hash differently from what was stored).
    @Test func invalidUTF8InAStringFieldIsRefused() throws {
        let bytes = Self.event.canonicalBytes
        // "Déployé" in the description: 0xC3 0xA9 is "é".
        let e = try #require(bytes.indices.first { bytes[$0] == 0x44 && bytes[$0 + 1] == 0xC3 && bytes[$0 + 2] == 0xA9 }) + 1
        for corrupt: [UInt8] in [[0xFF, 0xA9], [0xC3, 0x41], [0xC0, 0xA9], [0x80, 0xA9], [0xED, 0xA0]] {
            var tampered = bytes
            tampered.replaceSubrange(e..<e + 2, with: corrupt)
            #expect(throws: CanonicalDecodingError.malformed("invalid UTF-8"), "\(corrupt)") {
                try CanonicalEncoding.decode(tampered)
            }
        }
        // The replacement character itself is valid text and comes back as it was.
        var content = Self.event.content
        content.description = "before \u{FFFD} after"
        let event = StoredEvent(seq: 7, accountSeq: 3, receivedAt: Self.event.receivedAt, content: content,
                                geo: Self.event.geo, previousHash: Self.event.previousHash)
        #expect(try CanonicalEncoding.decode(event.canonicalBytes) == event)
    }

    @Test func jsonFormRoundTripsAndReHashes() throws {
        let text = Self.event.json.canonicalText
        let back = try StoredEvent(json: try JSONParser().parse(text))
        #expect(back == Self.event)
        #expect(back.json.canonicalText == text)
    }

    @Test func csvFormRoundTripsAndReHashes() throws {
        let back = try StoredEvent(csvCells: Self.event.csvCells)
        #expect(back == Self.event)
        var cells = Self.event.csvCells
        cells[StoredEvent.csvColumns.firstIndex(of: "description")!] = "edited"
        #expect(try StoredEvent(csvCells: cells).hash != Self.event.hash)
        var city = Self.event.csvCells
        city[StoredEvent.csvColumns.firstIndex(of: "city")!] = "Paris"
        #expect(throws: EventDecodingError.self) { try StoredEvent(csvCells: city) }
    }

    @Test func minimalEventRoundTrips() throws {
        let minimal = StoredEvent(seq: 1, accountSeq: 1, receivedAt: Timestamp(microseconds: 0),
                                  content: EventContent(account: "a", name: "n", actor: EventActor(id: "u"), occurredAt: Timestamp(microseconds: 0)),
                                  geo: GeoResult(status: .noIP), previousHash: StoredEvent.zeroHash)
        #expect(try StoredEvent(json: minimal.json) == minimal)
        #expect(try StoredEvent(csvCells: minimal.csvCells) == minimal)
    }

    @Test func idempotencyDigestIgnoresADefaultedTime() {
        var content = Self.event.content
        let first = NewEvent(content: content, occurredAtGiven: false)
        content.occurredAt = Timestamp(microseconds: 0)
        #expect(NewEvent(content: content, occurredAtGiven: false).contentDigest == first.contentDigest)
        #expect(NewEvent(content: content, occurredAtGiven: true).contentDigest != first.contentDigest)
        #expect(first.contentDigest.count == 32)
        content.clientID = nil
        #expect(NewEvent(content: content, occurredAtGiven: true).contentDigest.isEmpty)
    }
}

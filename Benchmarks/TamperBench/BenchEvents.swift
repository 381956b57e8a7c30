import LedgerCore

/// Realistic audit events (PERFORMANCE-NOTES.md): 1,000 accounts with a skew, 200 dotted
/// names, 10,000 actors, jittered `occurred_at`, ~300-byte metadata, most with an IP and geo.
struct BenchEvents {
    private var state: UInt64
    private let start = Timestamp(rfc3339: "2026-11-01T00:00:00Z")!
    private var index: Int64 = 0

    init(seed: UInt64) { state = seed }

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func event() -> NewEvent {
        index += 1
        // Squaring a uniform number skews towards the low accounts, as real tenants are.
        let uniform = Double(next() % 1_000_000) / 1_000_000
        let account = "acct\(Int(uniform * uniform * 1_000))"
        let name = "family\(next() % 20).action\(next() % 10)"
        let hasIP = next() % 5 != 0
        let ip = hasIP ? IPAddress("\(next() % 200 + 11).\(next() % 256).\(next() % 256).\(next() % 254 + 1)") : nil
        let padding = String(repeating: "x", count: 220)
        let content = EventContent(
            clientID: "evt-\(index)", account: account, name: name,
            actor: EventActor(id: "u_\(next() % 10_000)", name: "Member \(next() % 10_000)"),
            ip: ip, occurredAt: start.adding(seconds: index / 50 - Int64(next() % 600)),
            targets: [EventTarget(type: "stack", id: "s\(next() % 100)")],
            description: "deployed stack s\(next() % 100) to production",
            metadata: #"{"request":"\#(next())","pad":"\#(padding)"}"#)
        let geo = hasIP
            ? GeoResult(status: .ok, location: GeoLocation(countryCode: "GB", country: "United Kingdom", city: "London",
                                                           latitude: 51.5, longitude: -0.12, accuracyRadiusKm: 20, timeZone: "Europe/London"))
            : GeoResult(status: .noIP)
        return NewEvent(content: content, occurredAtGiven: true, geo: geo)
    }
}

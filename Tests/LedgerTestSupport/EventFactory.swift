import Foundation
import LedgerCore

public enum FixedClock {
    /// 2026-11-21T00:00:00Z
    public static let start = Timestamp(microseconds: 1_763_683_200_000_000)
}

/// Deterministic random events with the shape of real audit data: skewed accounts, dotted
/// name families, repeated actors, targets, IPs and geo.
public struct EventFactory {
    private var generator: SplitMix64
    public let accounts = ["acme", "globex", "initech", "umbrella"]
    public let names = ["stack.deploy", "stack.delete", "stack.update", "server.ssh.login", "server.ssh.logout",
                 "token.revoke", "token.create", "user.login", "user.logout", "billing.invoice.paid"]
    public let actors = ["u_1", "u_2", "u_3", "u_42", "svc_ci", "system"]
    public let cities: [(String, String)] = [("GB", "London"), ("DE", "Berlin"), ("US", "New York"), ("JP", "Tokyo")]
    public let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]

    public init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    /// The first event of the factory with this seed.
    public static func event(seed: UInt64) -> NewEvent {
        var factory = EventFactory(seed: seed)
        return factory.event()
    }

    public mutating func pick<T>(_ items: [T]) -> T { items[Int(generator.next() % UInt64(items.count))] }
    public mutating func chance(_ percent: UInt64) -> Bool { generator.next() % 100 < percent }

    public mutating func event(clientID: String? = nil) -> NewEvent {
        // Skew: the first account gets about half of the events.
        let account = chance(50) ? accounts[0] : pick(accounts)
        let ip: IPAddress? = chance(80) ? IPAddress("\(81 + generator.next() % 3).2.\(generator.next() % 4).\(generator.next() % 250 + 1)") : nil
        let place = pick(cities)
        let targets = (0..<Int(generator.next() % 3)).map { _ in
            EventTarget(type: pick(["stack", "server", "token"]), id: "t\(generator.next() % 5)", name: chance(50) ? pick(words) : nil)
        }
        let content = EventContent(
            clientID: clientID, account: account, name: pick(names),
            actor: EventActor(id: pick(actors), name: chance(50) ? "Jane \(pick(words))" : nil),
            ip: ip,
            // Jittered: not in seq order, and with ties.
            occurredAt: Timestamp(microseconds: FixedClock.start.microseconds - Int64(generator.next() % 500) * 60_000_000),
            targets: targets, outcome: chance(20) ? .failure : .success,
            description: chance(60) ? "\(pick(words)) \(pick(words)) happened" : nil,
            userAgent: chance(30) ? "curl/8.0" : nil,
            metadata: chance(30) ? "{\"k\":\(generator.next() % 10)}" : nil)
        let geo = ip == nil ? GeoResult(status: .noIP)
            : GeoResult(status: .ok, location: GeoLocation(countryCode: place.0, city: place.1, latitude: 51.5, longitude: -0.12))
        return NewEvent(content: content, occurredAtGiven: true, geo: geo)
    }
}

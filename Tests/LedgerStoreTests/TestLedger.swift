import Foundation
import LedgerCore
@testable import LedgerStore

/// A ledger in a fresh temporary directory, removed when the test ends.
final class TestLedger: @unchecked Sendable {
    let directory: URL
    let path: String
    let ledger: SQLiteLedger

    init(options: SQLiteLedger.Options = SQLiteLedger.Options(), clock: @escaping @Sendable () -> Timestamp = { FixedClock.start }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("auditledger-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("ledger.sqlite").path
        ledger = try SQLiteLedger(path: path, options: options, clock: clock)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }
}

enum FixedClock {
    /// 2026-11-21T00:00:00Z
    static let start = Timestamp(microseconds: 1_763_683_200_000_000)
}

/// Deterministic random events with the shape of real audit data: skewed accounts, dotted
/// name families, repeated actors, targets, IPs and geo.
struct EventFactory {
    private var generator: SplitMix64
    let accounts = ["acme", "globex", "initech", "umbrella"]
    let names = ["stack.deploy", "stack.delete", "stack.update", "server.ssh.login", "server.ssh.logout",
                 "token.revoke", "token.create", "user.login", "user.logout", "billing.invoice.paid"]
    let actors = ["u_1", "u_2", "u_3", "u_42", "svc_ci", "system"]
    let cities: [(String, String)] = [("GB", "London"), ("DE", "Berlin"), ("US", "New York"), ("JP", "Tokyo")]
    let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(generator.next() % UInt64(items.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { generator.next() % 100 < percent }

    mutating func event(clientID: String? = nil) -> NewEvent {
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


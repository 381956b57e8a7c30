import Foundation
import LedgerCore

/// Draws for the generator, on the shared fixed-seed generator so that every run (and every
/// tier) sees the same events.
extension SplitMix64 {
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

/// Draws ranks 0..<n with probability ∝ 1 / (rank + 1)^s.
struct Zipf {
    private let cumulative: [Double]

    init(count: Int, exponent: Double) {
        var total = 0.0
        cumulative = (0..<count).map { rank in
            total += 1 / pow(Double(rank + 1), exponent)
            return total
        }
    }

    func draw(_ random: inout SplitMix64) -> Int {
        let target = Double(random.next() >> 11) / Double(1 << 53) * cumulative[cumulative.count - 1]
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// Realistic audit events (PERFORMANCE-NOTES.md's data): ~1,000 accounts with a Zipf skew,
/// 200 dotted activity names in 20 families, 10,000 actors (each account has its own few),
/// 90 days of `occurred_at` that mostly follows arrival order but is jittered and sometimes
/// late, public IPs from allocated IPv4 /8s and the registries' IPv6 blocks, ~300 bytes of
/// metadata, targets and free-text descriptions.
///
/// Event `i` depends only on the seed and `i`, so any slice can be generated on its own.
struct EventGenerator {
    static let families = ["stack", "server", "server.ssh", "token", "user", "user.session", "billing", "repo",
                           "repo.branch", "pipeline", "secret", "team", "org", "integration", "webhook",
                           "database", "dns", "certificate", "storage", "alert"]
    static let verbs = ["create", "delete", "update", "deploy", "login", "logout", "read", "revoke", "rotate", "sync"]
    static let names = families.flatMap { family in verbs.map { "\(family).\($0)" } }
    static let words = ["production", "staging", "eu", "west", "us", "east", "rollback", "hotfix", "release",
                        "canary", "primary", "replica", "backup", "restore", "scheduled", "manual", "emergency",
                        "approved", "denied", "expired", "rotated", "invited", "removed", "granted", "quota",
                        "invoice", "payment", "refund", "branch", "main", "feature", "merge", "tag", "webhook",
                        "retry", "timeout", "certificate", "renewed", "domain", "record", "bucket", "policy",
                        "firewall", "rule", "session", "mfa", "password", "reset", "sso", "saml", "oauth", "key",
                        "ssh", "console", "api", "cli", "terraform", "pipeline", "build", "failed", "succeeded",
                        "cancelled", "queued", "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
                        "hotel", "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec",
                        "romeo", "sierra", "tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu"]
    /// First octets of IPv4 /8s that the regional registries have allocated (and GeoLite2 covers).
    static let allocatedSlash8s: [UInt8] = [2, 5, 8, 12, 13, 17, 18, 20, 23, 24, 31, 34, 35, 37, 38, 41, 45, 46, 47,
                                            49, 50, 51, 52, 54, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70,
                                            71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88,
                                            89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 101, 102, 103, 104, 105,
                                            106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119,
                                            120, 121, 122, 123, 124, 125, 128, 129, 130, 131, 132, 134, 136, 137,
                                            138, 139, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 151,
                                            152, 153, 154, 155, 156, 157, 158, 159, 160, 161, 162, 163, 164, 165,
                                            166, 167, 168, 169, 170, 171, 173, 174, 175, 176, 177, 178, 179, 180,
                                            181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191, 193, 194, 195,
                                            196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209,
                                            210, 211, 212, 213, 216, 217, 218, 219, 220, 221, 222, 223]
    static let ipv6Blocks: [UInt16] = [0x2001, 0x2400, 0x2600, 0x2800, 0x2a00, 0x2c00]
    static let userAgents = ["terraform/1.9.5", "auditledger-cli/0.4", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
                             "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15", "kubectl/v1.30.2",
                             "python-requests/2.32.3", "Go-http-client/2.0"]
    static let accountCount = 1_000
    static let actorCount = 10_000
    static let actorsPerAccount = 60
    static let days: Int64 = 90
    static let start = Timestamp(year: 2026, month: 1, day: 1)!

    let seed: UInt64
    let total: Int
    /// Percent of events that carry a client id (an idempotency key).
    let idPercent: Int
    let accounts: Zipf
    let nameRanks = Zipf(count: names.count, exponent: 0.9)
    let actorRanks = Zipf(count: actorsPerAccount, exponent: 1.1)
    let wordRanks = Zipf(count: words.count, exponent: 0.8)

    /// - Parameter accounts: how many accounts share the events (1 for the export benchmark's ledger).
    init(seed: UInt64, total: Int, accounts: Int = accountCount, idPercent: Int = 10) {
        self.accounts = Zipf(count: accounts, exponent: 1.0)
        self.seed = seed
        self.total = total
        self.idPercent = idPercent
    }

    static func account(_ rank: Int) -> String { "acct-\(String(rank + 1).leftPadded(4))" }
    static func actor(_ index: Int) -> String { "u_\(String(index).leftPadded(5))" }
    /// The actors an account's events come from: a fixed, account-specific slice of the 10,000.
    static func actorIndex(account: Int, rank: Int) -> Int { (account * 7_919 + rank * 163) % actorCount }
    static var end: Timestamp { start.adding(seconds: days * 86_400) }

    /// Event `index` (0-based) of the ledger: its content and whether `occurred_at` was given.
    func content(_ index: Int) -> EventContent {
        var random = SplitMix64(seed: seed &* 0x2545_F491_4F6C_DD1D ^ UInt64(index))
        let accountRank = accounts.draw(&random)
        let actorIndex = Self.actorIndex(account: accountRank, rank: actorRanks.draw(&random))
        let name = Self.names[nameRanks.draw(&random)]
        let span = Self.days * 86_400_000_000
        var occurred = Self.start.microseconds + Int64(Double(index) / Double(max(total, 1)) * Double(span))
        // Clients report a little before arrival; one in a hundred is hours late (queued, retried).
        occurred -= Int64(random.below(600_000_000))
        if random.chance(1) { occurred -= Int64(random.below(36 * 3_600)) * 1_000_000 }
        let family = name.split(separator: ".").first.map(String.init) ?? name
        let targets = (0..<random.below(3)).map { _ in
            let id = random.below(5_000)
            return EventTarget(type: family, id: "\(family.prefix(3))_\(id)", name: "\(Self.words[id % Self.words.count])-\(id)")
        }
        let description = (0..<(8 + random.below(8))).map { _ in Self.words[wordRanks.draw(&random)] }.joined(separator: " ")
        let clientID = random.chance(idPercent) ? "evt_\(hex(random.next()))\(hex(random.next()))" : nil
        return EventContent(
            clientID: clientID,
            account: Self.account(accountRank),
            name: name,
            actor: EventActor(id: Self.actor(actorIndex), name: "User \(actorIndex)", email: "user\(actorIndex)@example.com",
                              type: actorIndex % 10 == 0 ? .service : .user),
            ip: address(actor: actorIndex, &random),
            occurredAt: Timestamp(microseconds: occurred),
            targets: targets,
            outcome: random.chance(7) ? .failure : .success,
            description: description,
            userAgent: Self.userAgents[random.below(Self.userAgents.count)],
            metadata: metadata(&random, name: name))
    }

    /// Mostly the actor's usual address; sometimes one from elsewhere; a few private ones.
    private func address(actor: Int, _ random: inout SplitMix64) -> IPAddress? {
        if random.chance(3) { return IPAddress(bytes: [10, UInt8(actor % 256), UInt8(random.below(256)), 1]) }
        var local = random.chance(75) ? SplitMix64(seed: UInt64(actor) &* 0x9E37_79B9 ^ seed) : random
        if local.chance(12) {
            let block = Self.ipv6Blocks[local.below(Self.ipv6Blocks.count)]
            var bytes = [UInt8(block >> 8), UInt8(block & 0xff) | UInt8(local.below(16))]
            bytes += (0..<6).map { _ in UInt8(local.below(256)) } + [UInt8](repeating: 0, count: 7) + [1]
            return IPAddress(bytes: bytes)
        }
        let first = Self.allocatedSlash8s[local.below(Self.allocatedSlash8s.count)]
        return IPAddress(bytes: [first, UInt8(local.below(256)), UInt8(local.below(256)), UInt8(1 + local.below(254))])
    }

    private func metadata(_ random: inout SplitMix64, name: String) -> String {
        let object: JSONValue = [
            "request_id": .string(hex(random.next()) + hex(random.next())),
            "session_id": .string(hex(random.next())),
            "region": .string(["eu-west-1", "us-east-1", "ap-southeast-2", "eu-central-1"][random.below(4)]),
            "client": ["version": .string("2.\(random.below(40)).\(random.below(10))"), "platform": .string(["linux", "darwin", "windows"][random.below(3)])],
            "change": ["field": .string(Self.words[random.below(Self.words.count)]),
                       "from": .string(Self.words[random.below(Self.words.count)]),
                       "to": .string(Self.words[random.below(Self.words.count)])],
            "tags": .array((0..<3).map { _ in .string(Self.words[random.below(Self.words.count)]) }),
            "trace": .string(hex(random.next()) + hex(random.next()) + hex(random.next())),
            "attempt": JSONValue(integer: 1 + random.below(3)),
            "source": .string(name),
        ]
        return object.canonicalText
    }
}

func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

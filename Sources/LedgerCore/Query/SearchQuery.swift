/// One search over an account's events: every filter optional except the account, all AND-ed.
public struct SearchQuery: Hashable, Sendable {
    public static let defaultLimit = 100
    public static let maxLimit = 1_000

    public var account: String
    /// Exact activity names and `prefix.*` families; an event matches if it matches any.
    public var names: [NameFilter] = []
    public var actor: String?
    /// Half-open range on `occurred_at`: `from <= occurred_at < to`.
    public var from: Timestamp?
    public var to: Timestamp?
    public var outcome: Outcome?
    /// ISO 3166-1 alpha-2 code, upper case.
    public var country: String?
    public var city: String?
    public var ipNetwork: IPNetwork?
    public var target: TargetFilter?
    /// Free text over name, description, actor and target names; every word must match.
    public var text: String?
    public var limit: Int = SearchQuery.defaultLimit
    /// Where the previous page ended; nil for the first page.
    public var cursor: SearchCursor?

    public init(account: String) {
        self.account = account
    }
}

/// An exact activity name, or a family written `stack.*` (every name starting `stack.`).
public enum NameFilter: Hashable, Sendable, CustomStringConvertible {
    case exact(String)
    case prefix(String)

    /// Parses `stack.deploy` or `stack.*` (or `*` for every name, which is no filter at all).
    public init?(_ text: String) {
        if text.hasSuffix(".*") {
            let family = String(text.dropLast(2))
            guard EventRules.isValidName(family) else { return nil }
            self = .prefix(family + ".")
        } else {
            guard EventRules.isValidName(text) else { return nil }
            self = .exact(text)
        }
    }

    public var description: String {
        switch self {
        case .exact(let name): name
        case .prefix(let prefix): prefix + "*"
        }
    }

    public func matches(_ name: String) -> Bool {
        switch self {
        case .exact(let exact): name == exact
        case .prefix(let prefix): name.hasPrefix(prefix)
        }
    }
}

/// `type:id` of a target the event was done to.
public struct TargetFilter: Hashable, Sendable, CustomStringConvertible {
    public var type: String
    public var id: String

    public init(type: String, id: String) {
        self.type = type
        self.id = id
    }

    /// Splits at the first colon: `stack:prod` → type `stack`, id `prod`.
    public init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let type = String(text[..<colon]), id = String(text[text.index(after: colon)...])
        guard !type.isEmpty, !id.isEmpty else { return nil }
        self.init(type: type, id: id)
    }

    public var description: String { "\(type):\(id)" }
}

/// The position after the last event of a page, in the newest-first order
/// (`occurred_at` descending, then `seq` descending). Opaque to clients.
public struct SearchCursor: Hashable, Sendable {
    public var occurredAt: Timestamp
    public var seq: UInt64

    public init(occurredAt: Timestamp, seq: UInt64) {
        self.occurredAt = occurredAt
        self.seq = seq
    }

    private static let version: UInt8 = 1

    /// Base64url of a version byte, `occurred_at` and `seq`.
    public var token: String {
        var writer = CanonicalWriter()
        writer.write(Self.version)
        writer.write(occurredAt.microseconds)
        writer.write(seq)
        return Base64URL.encode(writer.bytes)
    }

    public init?(token: String) {
        guard token.utf8.count <= 64, let bytes = Base64URL.decode(token), bytes.count == 17 else { return nil }
        var reader = CanonicalReader(bytes)
        guard (try? reader.readByte()) == Self.version,
              let occurredAt = try? reader.readInt64(), let seq = try? reader.readUInt64(),
              seq >= 1, seq <= UInt64(Int64.max) else { return nil }
        self.init(occurredAt: Timestamp(microseconds: occurredAt), seq: seq)
    }

    /// Whether `event` comes after this position in newest-first order.
    public func precedes(occurredAt other: Timestamp, seq otherSeq: UInt64) -> Bool {
        other < occurredAt || (other == occurredAt && otherSeq < seq)
    }
}

extension SearchQuery {
    /// Whether a stored event satisfies every filter (not the cursor or limit). Storage backends
    /// answer with indexes; this is the definition they are tested against.
    public func matches(_ event: StoredEvent) -> Bool {
        let content = event.content
        guard content.account == account else { return false }
        if !names.isEmpty, !names.contains(where: { $0.matches(content.name) }) { return false }
        if let actor, content.actor.id != actor { return false }
        if let from, content.occurredAt < from { return false }
        if let to, content.occurredAt >= to { return false }
        if let outcome, content.outcome != outcome { return false }
        if let country, event.geo.location?.countryCode != country { return false }
        if let city, event.geo.location?.city?.lowercased() != city.lowercased() { return false }
        if let ipNetwork {
            guard let ip = content.ip, ipNetwork.contains(ip) else { return false }
        }
        if let target, !content.targets.contains(where: { $0.type == target.type && $0.id == target.id }) { return false }
        if let text {
            let haystack = FullText.words(in: FullText.document(for: content))
            for word in FullText.words(in: text) where !haystack.contains(word) { return false }
        }
        return true
    }
}

/// Whether the action succeeded. Its raw value is part of the canonical encoding.
public enum Outcome: UInt8, Hashable, Sendable, CaseIterable {
    case success = 0
    case failure = 1

    public var name: String { self == .success ? "success" : "failure" }

    public init?(name: String) {
        switch name {
        case "success": self = .success
        case "failure": self = .failure
        default: return nil
        }
    }
}

/// What kind of team member acted.
public enum ActorType: String, Hashable, Sendable, CaseIterable {
    case user, service, system
}

/// The team member who performed the action.
public struct EventActor: Hashable, Sendable {
    public var id: String
    public var name: String?
    public var email: String?
    public var type: ActorType?

    public init(id: String, name: String? = nil, email: String? = nil, type: ActorType? = nil) {
        self.id = id
        self.name = name
        self.email = email
        self.type = type
    }
}

/// Something the action was done to: a stack, a server, a token.
public struct EventTarget: Hashable, Sendable {
    public var type: String
    public var id: String
    public var name: String?

    public init(type: String, id: String, name: String? = nil) {
        self.type = type
        self.id = id
        self.name = name
    }
}

/// Everything a service says about one action, validated and normalised.
public struct EventContent: Hashable, Sendable {
    /// The client's event id, also its idempotency key (unique per account).
    public var clientID: String?
    public var account: String
    public var name: String
    public var actor: EventActor
    public var ip: IPAddress?
    /// When the action happened (the receive time when the client gave none).
    public var occurredAt: Timestamp
    public var targets: [EventTarget]
    public var outcome: Outcome
    public var description: String?
    public var userAgent: String?
    /// The metadata object as canonical JSON text (sorted keys, no whitespace).
    public var metadata: String?

    public init(
        clientID: String? = nil, account: String, name: String, actor: EventActor,
        ip: IPAddress? = nil, occurredAt: Timestamp, targets: [EventTarget] = [],
        outcome: Outcome = .success, description: String? = nil, userAgent: String? = nil,
        metadata: String? = nil
    ) {
        self.clientID = clientID
        self.account = account
        self.name = name
        self.actor = actor
        self.ip = ip
        self.occurredAt = occurredAt
        self.targets = targets
        self.outcome = outcome
        self.description = description
        self.userAgent = userAgent
        self.metadata = metadata
    }
}

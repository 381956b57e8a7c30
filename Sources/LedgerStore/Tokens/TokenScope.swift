/// What a bearer token may do. Matches the CHECK constraint on `tokens.scope`.
public enum TokenScope: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Post events for its account (or, bound to `*`, for any account the event names).
    case ingest
    /// Search, show, export and prove the events of its account: the account owner.
    case read
    /// Manage tokens.
    case admin

    public var description: String { rawValue }
}

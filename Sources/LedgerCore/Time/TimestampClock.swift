/// Where code below the edges gets the current time, so that tests can fix it.
public protocol TimestampClock: Sendable {
    /// The current instant as this clock sees it.
    func now() -> Timestamp
}

/// The system's real-time clock; create it in the executable and pass it down.
public struct SystemTimestampClock: TimestampClock {
    public init() {}

    public func now() -> Timestamp { Timestamp.systemNow() }
}

/// A clock stopped at one instant, for tests and for replaying work at a known time.
public struct FixedTimestampClock: TimestampClock {
    public var timestamp: Timestamp

    public init(_ timestamp: Timestamp) {
        self.timestamp = timestamp
    }

    public func now() -> Timestamp { timestamp }
}

/// When the server signs checkpoints on its own: after `interval` if any event arrived, or as
/// soon as `everyEvents` events arrived since the last one, whichever comes first.
public struct CheckpointSchedule: Hashable, Sendable {
    public var interval: Duration
    public var everyEvents: UInt64
    /// How often the tree size is looked at (one indexed read each time).
    public var pollInterval: Duration

    public init(interval: Duration = .seconds(60), everyEvents: UInt64 = 100_000, pollInterval: Duration = .seconds(1)) {
        self.interval = interval
        self.everyEvents = max(1, everyEvents)
        self.pollInterval = pollInterval
    }
}

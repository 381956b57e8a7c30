import Foundation
import LedgerCore

public func with<T>(_ value: T, _ change: (inout T) -> Void) -> T {
    var copy = value
    change(&copy)
    return copy
}

/// A clock that moves one second per reading, so each commit has its own receive time.
public final class SteppingClock: @unchecked Sendable {
    private var now = FixedClock.start.microseconds
    private let lock = NSLock()
    public init() {}
    public func tick() -> Timestamp { lock.withLock { now += 1_000_000; return Timestamp(microseconds: now) } }
}

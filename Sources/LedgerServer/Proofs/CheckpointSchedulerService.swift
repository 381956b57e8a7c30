import LedgerStore
import ServiceLifecycle

/// Runs the `CheckpointScheduler` for as long as the service group runs. On graceful shutdown
/// the scheduler's task is cancelled, and the scheduler then signs one last checkpoint of the
/// whole tree before this service returns.
///
/// Pass it to `buildApplication(_:configuration:services:)`: services there shut down after
/// the HTTP server has finished its in-flight requests and before the ledger closes, so that
/// last checkpoint covers every event the server acknowledged.
public struct CheckpointSchedulerService: Service {
    public let scheduler: CheckpointScheduler

    public init(scheduler: CheckpointScheduler) {
        self.scheduler = scheduler
    }

    public func run() async throws {
        let scheduler = self.scheduler
        await cancelWhenGracefulShutdown { await scheduler.run() }
    }
}

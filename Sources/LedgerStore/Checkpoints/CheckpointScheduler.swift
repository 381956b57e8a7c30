import LedgerCore

/// Signs checkpoints in the background by a `CheckpointSchedule`, for `serve`.
///
/// Run it in a task and cancel that task to stop: `run()` then signs one last checkpoint (so
/// every event acknowledged before shutdown is covered) and returns. Failures are reported
/// through `onError` and retried at the next poll; they never end the loop.
///
///     let scheduler = CheckpointScheduler(service: service, schedule: .init(interval: .seconds(60)))
///     let task = Task { await scheduler.run() }
///     …
///     task.cancel(); await task.value
public struct CheckpointScheduler: Sendable {
    public let service: CheckpointService
    public let schedule: CheckpointSchedule
    private let onCheckpoint: @Sendable (StoredCheckpoint) -> Void
    private let onError: @Sendable (any Error) -> Void

    public init(service: CheckpointService, schedule: CheckpointSchedule,
                onCheckpoint: @escaping @Sendable (StoredCheckpoint) -> Void = { _ in },
                onError: @escaping @Sendable (any Error) -> Void = { _ in }) {
        self.service = service
        self.schedule = schedule
        self.onCheckpoint = onCheckpoint
        self.onError = onError
    }

    /// Runs until the surrounding task is cancelled.
    public func run() async {
        let clock = ContinuousClock()
        var signedSize = (try? await service.repository.latestCheckpoint())?.treeSize ?? 0
        var signedAt = clock.now
        while true {
            do {
                try await Task.sleep(for: schedule.pollInterval, clock: clock)
            } catch {
                break
            }
            do {
                let size = try await service.repository.treeHead().size
                guard size > signedSize,
                      size - signedSize >= schedule.everyEvents || clock.now - signedAt >= schedule.interval else { continue }
                let checkpoint = try await service.checkpoint()
                signedSize = checkpoint.treeSize
                signedAt = clock.now
                onCheckpoint(checkpoint)
            } catch {
                onError(error)
            }
        }
        do {
            let checkpoint = try await service.checkpoint()
            if checkpoint.treeSize > signedSize { onCheckpoint(checkpoint) }
        } catch {
            onError(error)
        }
    }
}

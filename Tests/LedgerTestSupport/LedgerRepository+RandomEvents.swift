import LedgerCore
import LedgerStore

extension LedgerRepository {
    /// Appends `count` realistic events (EventFactory with `seed`) in atomic batches of `batchSize`.
    public func appendRandomEvents(_ count: Int, batchSize: Int = 10, seed: UInt64 = 1) async throws {
        var factory = EventFactory(seed: seed)
        var remaining = count
        while remaining > 0 {
            let batch = (0..<min(batchSize, remaining)).map { _ in factory.event() }
            _ = try await append(batch)
            remaining -= batch.count
        }
    }
}

import CoreMetrics
import Prometheus

/// The service's own measurements, in a Prometheus registry of its own.
///
/// Each application gets its own registry (not the process-wide `MetricsSystem`), so tests can
/// build many applications and read back exactly what one of them counted. `serve` also
/// bootstraps `MetricsSystem` with this registry, so Hummingbird's per-route request metrics
/// land beside these.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    let eventsIngested: CoreMetrics.Counter
    let ingestRequests: CoreMetrics.Counter
    let replayedEvents: CoreMetrics.Counter
    let rejectedRequests: CoreMetrics.Counter
    let batchSize: CoreMetrics.Recorder
    let commitLatency: CoreMetrics.Timer
    let appendsInFlight: CoreMetrics.Meter
    let searchLatency: CoreMetrics.Timer
    let searches: CoreMetrics.Counter
    let exports: CoreMetrics.Counter
    let databaseBytes: CoreMetrics.Meter
    let ledgerEvents: CoreMetrics.Meter

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        // Commits are fsyncs: from well under a millisecond to a slow disk's hundreds.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(2.5),
        ]
        factory.defaultValueHistogramBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
        self.factory = factory
        eventsIngested = CoreMetrics.Counter(label: "auditledger_events_ingested_total", factory: factory)
        ingestRequests = CoreMetrics.Counter(label: "auditledger_ingest_requests_total", factory: factory)
        replayedEvents = CoreMetrics.Counter(label: "auditledger_events_replayed_total", factory: factory)
        rejectedRequests = CoreMetrics.Counter(label: "auditledger_ingest_rejected_total", factory: factory)
        batchSize = CoreMetrics.Recorder(label: "auditledger_ingest_batch_size", factory: factory)
        commitLatency = CoreMetrics.Timer(label: "auditledger_commit_latency_seconds", factory: factory)
        appendsInFlight = CoreMetrics.Meter(label: "auditledger_appends_in_flight", factory: factory)
        searchLatency = CoreMetrics.Timer(label: "auditledger_search_latency_seconds", factory: factory)
        searches = CoreMetrics.Counter(label: "auditledger_searches_total", factory: factory)
        exports = CoreMetrics.Counter(label: "auditledger_exports_total", factory: factory)
        databaseBytes = CoreMetrics.Meter(label: "auditledger_database_bytes", factory: factory)
        ledgerEvents = CoreMetrics.Meter(label: "auditledger_ledger_events", factory: factory)
    }

    /// The metrics factory, for `MetricsSystem.bootstrap` in the executable.
    public var metricsFactory: any MetricsFactory { factory }

    /// Runs `body`, recording its duration in `timer`.
    func time<T>(_ timer: CoreMetrics.Timer, _ body: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        defer { timer.recordInterval(since: start) }
        return try await body()
    }
}

private extension CoreMetrics.Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

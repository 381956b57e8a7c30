import GeoIP
import LedgerCore
import LedgerStore
import Logging

/// Everything the routes need, built once by the executable (or a test) and handed to
/// `buildRouter`. Storage is reached only through its protocols, so a PostgreSQL backend or a
/// test double slots in without touching a controller.
public struct ServerDependencies: Sendable {
    public var ledger: any LedgerRepository
    public var tokens: any TokenRepository
    /// Geo lookup at ingest; a `GeoEnricher(locator: nil)` records `no_database`.
    public var enricher: GeoEnricher
    /// The receive time for validation ("in the future") and for recorded reads.
    public var clock: any TimestampClock
    public var metrics: ServerMetrics
    /// What `GET /v1/checkpoint` serves; the signing engineer replaces the default.
    public var checkpoints: any CheckpointProviding
    public var logger: Logger

    public init(ledger: any LedgerRepository, tokens: any TokenRepository, enricher: GeoEnricher,
                clock: any TimestampClock = SystemTimestampClock(), metrics: ServerMetrics = ServerMetrics(),
                checkpoints: (any CheckpointProviding)? = nil, logger: Logger = Logger(label: "auditledger")) {
        self.ledger = ledger
        self.tokens = tokens
        self.enricher = enricher
        self.clock = clock
        self.metrics = metrics
        self.checkpoints = checkpoints ?? TreeHeadCheckpoints(ledger: ledger)
        self.logger = logger
    }
}

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
    /// The signed checkpoints served by `/v1/checkpoint`, used by inclusion proofs and export
    /// manifests, and whose key `GET /v1/key` publishes. `serve` always has one (it refuses to
    /// start without the ledger's key); nil only for a server built without a key, whose
    /// checkpoint and manifest routes then answer 503 `signing_unavailable`.
    public var checkpoints: (any CheckpointProviding)?
    public var logger: Logger

    public init(ledger: any LedgerRepository, tokens: any TokenRepository, enricher: GeoEnricher,
                clock: any TimestampClock = SystemTimestampClock(), metrics: ServerMetrics = ServerMetrics(),
                checkpoints: (any CheckpointProviding)? = nil, logger: Logger = Logger(label: "auditledger")) {
        self.ledger = ledger
        self.tokens = tokens
        self.enricher = enricher
        self.clock = clock
        self.metrics = metrics
        self.checkpoints = checkpoints
        self.logger = logger
    }
}

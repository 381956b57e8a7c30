import Hummingbird
import HummingbirdCore
import LedgerCore
import LedgerStore
import Logging
import ServiceLifecycle

/// Where the server listens.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The largest read from a client's socket, rounded down to a power of two of at least 64
    /// bytes (`BoundedReadBuffersChannel`).
    public var maxReadBytes: Int

    public init(host: String = "127.0.0.1", port: Int = 8080, maxReadBytes: Int = 16 * 1024) {
        self.host = host
        self.port = port
        self.maxReadBytes = maxReadBytes
    }
}

/// The whole service: the router over `dependencies`, listening per `configuration`, with the
/// ledger closed after the HTTP server has drained on shutdown (SIGTERM/SIGINT through
/// `runService()`), so in-flight commits finish before the process exits.
///
/// `services` run beside the server (`serve` passes the `CheckpointSchedulerService`). On
/// shutdown they stop after the server has drained and before the ledger closes, in reverse
/// order: the last thing they do can still use the ledger and sees every acknowledged event.
public func buildApplication(
    _ dependencies: ServerDependencies, configuration: ServerConfiguration = ServerConfiguration(),
    services: [any Service] = [],
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(dependencies),
        server: HTTPServerBuilder { responder in
            BoundedReadBuffersChannel(base: HTTP1Channel(responder: responder), maxReadBytes: configuration.maxReadBytes)
        },
        configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                serverName: "auditledger"),
        // Services shut down in reverse order, each after the one before has returned: the
        // server (registered after these) drains first, then `services`, then the ledger closes.
        services: [LedgerShutdownService(ledger: dependencies.ledger, logger: dependencies.logger)] + services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: dependencies.logger)
}

/// Every route, each concern in its own controller. Public routes first; everything under
/// `/v1` requires a bearer token.
public func buildRouter(_ dependencies: ServerDependencies) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))

    let ledger = dependencies.ledger
    let audit = ReadAudit(ledger: ledger, enricher: dependencies.enricher, clock: dependencies.clock)
    SystemController(ledger: ledger, metrics: dependencies.metrics).addRoutes(to: router)
    WebController().addRoutes(to: router)

    // Every request under /v1 authenticates; remembering recent tokens briefly keeps that off the
    // store (CachingTokenRepository documents how soon a revocation takes effect).
    let tokens = CachingTokenRepository(base: dependencies.tokens)
    let v1 = router.group("v1").add(middleware: AuthMiddleware(tokens: tokens))
    EventsController(ledger: ledger, enricher: dependencies.enricher, clock: dependencies.clock,
                     metrics: dependencies.metrics, audit: audit).addRoutes(to: v1.group("events"))
    ExportController(ledger: ledger, checkpoints: dependencies.checkpoints, metrics: dependencies.metrics, audit: audit,
                     clock: dependencies.clock).addRoutes(to: v1.group("export"))
    StreamController(ledger: ledger).addRoutes(to: v1.group("stream"))
    let proofs = ProofsController(ledger: ledger, checkpoints: dependencies.checkpoints)
    proofs.addPublicRoutes(to: router)
    proofs.addRoutes(checkpoint: v1.group("checkpoint"), proofs: v1.group("proofs"))
    TokensController(tokens: tokens).addRoutes(to: v1.group("tokens"))
    return router
}

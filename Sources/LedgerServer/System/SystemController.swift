import Hummingbird
import LedgerCore
import LedgerStore
import NIOCore

/// The unauthenticated routes: liveness, Prometheus metrics, and the API's own description.
struct SystemController: Sendable {
    let ledger: any LedgerRepository
    let metrics: ServerMetrics

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("healthz", use: health)
        router.get("metrics", use: prometheus)
        router.get("openapi.json", use: openAPI)
    }

    /// Answers from the database, so that a health check fails when the ledger cannot be read.
    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try QueryParameters(request.uri.query, allowed: [])
        let head = try await ledger.treeHead()
        return .json(.object(["status": "ok", "tree_size": JSONValue(integer: head.size)]))
    }

    /// Gauges that describe the store are read at scrape time rather than kept up to date on
    /// every append.
    @Sendable func prometheus(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try QueryParameters(request.uri.query, allowed: [])
        let status = try await ledger.status()
        metrics.databaseBytes.set(Int(status.databaseBytes))
        metrics.ledgerEvents.set(Int(status.events))
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
    }

    @Sendable func openAPI(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try QueryParameters(request.uri.query, allowed: [])
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
    }
}

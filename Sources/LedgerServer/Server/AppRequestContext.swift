import Hummingbird
import LedgerCore
import LedgerStore
import NIOCore

/// The request context of every route: Hummingbird's core storage, the token the request
/// authenticated with, and the peer's address (recorded with the reads a token makes).
public struct AppRequestContext: RequestContext, Sendable {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` on `/v1` routes; nil on public routes.
    public var token: APIToken?
    private let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        token = nil
        channel = source.channel
    }

    /// The peer's address, worked out when asked: only audited reads ask, and formatting and
    /// parsing it for every request was 3% of the pool's CPU for single-event POSTs.
    public var remoteAddress: IPAddress? {
        channel.remoteAddress?.ipAddress.flatMap { IPAddress($0) }
    }

    /// Bodies are collected explicitly with the ingest limit; this bounds anything decoded by Hummingbird.
    public var maxUploadSize: Int { EventIntake.maxBodyBytes }

    /// The authenticated token if it has `scope`; 403 otherwise.
    func requireToken(_ scope: TokenScope) throws -> APIToken {
        guard let token else { throw APIError.unauthorized(invalid: false) }
        guard token.scope == scope else { throw APIError.forbidden }
        return token
    }
}

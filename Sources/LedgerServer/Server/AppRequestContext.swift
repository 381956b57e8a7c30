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
    public let remoteAddress: IPAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        token = nil
        remoteAddress = source.channel.remoteAddress?.ipAddress.flatMap { IPAddress($0) }
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

import Hummingbird
import LedgerStore

/// Requires a valid `Authorization: Bearer <token>` on every route behind it and puts the
/// token in the context. Scope and account checks are the routes' own, since they depend on
/// what each route is asked for.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let tokens: any TokenRepository

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { throw APIError.unauthorized(invalid: false) }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw APIError.unauthorized(invalid: true) }
        let secret = String(parts[1])
        guard let token = try await tokens.authenticate(secret: secret) else { throw APIError.unauthorized(invalid: true) }
        var context = context
        context.token = token
        context.logger[metadataKey: "token"] = .string(token.id)
        return try await next(request, context)
    }
}

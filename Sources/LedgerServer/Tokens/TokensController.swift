import Hummingbird
import LedgerCore
import LedgerStore

/// `/v1/tokens` for `admin` tokens: create (the secret is in this one response only), list,
/// revoke. An admin token bound to one account manages that account's tokens only, and can
/// never mint a `*` token.
struct TokensController: Sendable {
    let tokens: any TokenRepository

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post(use: create)
        group.get(use: list)
        group.delete("{id}", use: revoke)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try context.requireToken(.admin)
        _ = try QueryParameters(request.uri.query, allowed: [])
        _ = try EventsController.bodyFormat(request.headers[.contentType]).requireJSON()
        let body = try await RequestBodyLimit.collect(request, limit: 16 * 1024)
        let object: JSONObject
        do {
            guard case .object(let parsed) = try JSONParser(maxDepth: 4, maxBytes: 16 * 1024).parse(body) else {
                throw APIError.badRequest("invalid_json", "the body must be a JSON object {account, scope, name?}")
            }
            object = parsed
        } catch let error as JSONParseError {
            throw APIError.badRequest("invalid_json", "invalid JSON: \(error)")
        }
        for key in object.keys where !["account", "scope", "name"].contains(key) {
            throw APIError.badRequest("invalid_token_request", "\(key): unknown field")
        }
        guard let account = object["account"]?.stringValue else {
            throw APIError.badRequest("invalid_token_request", "account: is required, a string (an account or *)")
        }
        guard let scope = object["scope"]?.stringValue.flatMap(TokenScope.init(rawValue:)) else {
            throw APIError.badRequest("invalid_token_request", "scope: must be ingest, read or admin")
        }
        var name: String? = nil
        if let value = object["name"], !value.isNull {
            guard let text = value.stringValue else { throw APIError.badRequest("invalid_token_request", "name: must be a string") }
            name = text
        }
        guard admin.covers(account: account) else { throw APIError.forbidden }
        let issued: IssuedToken
        do {
            issued = try await tokens.createToken(account: account, scope: scope, name: name)
        } catch let error as TokenError {
            throw APIError.badRequest("invalid_token_request", error.description)
        }
        var json = Self.json(issued.token)
        json["secret"] = .string(issued.secret)
        return .json(.object(json), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try context.requireToken(.admin)
        _ = try QueryParameters(request.uri.query, allowed: [])
        let visible = try await tokens.tokens().filter { admin.covers(account: $0.account) }
        return .json(.object(["tokens": .array(visible.map { .object(Self.json($0)) })]))
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try context.requireToken(.admin)
        _ = try QueryParameters(request.uri.query, allowed: [])
        let id = try PathSegment.decode(context.parameters.require("id"))
        // A token of an account the admin does not manage is "not found", like an unknown id.
        guard let token = try await tokens.tokens().first(where: { $0.id == id }), admin.covers(account: token.account) else {
            throw APIError.notFound
        }
        return .json(.object(Self.json(try await tokens.revokeToken(id: token.id))))
    }

    static func json(_ token: APIToken) -> JSONObject {
        var object: JSONObject = [
            "id": .string(token.id), "account": .string(token.account), "scope": .string(token.scope.rawValue),
            "created_at": .string(token.createdAt.rfc3339),
        ]
        if let name = token.name { object["name"] = .string(name) }
        if let revokedAt = token.revokedAt { object["revoked_at"] = .string(revokedAt.rfc3339) }
        return object
    }
}

private extension EventBodyFormat {
    func requireJSON() throws(APIError) -> Self {
        guard case .json = self else {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type", message: "Send application/json")
        }
        return self
    }
}

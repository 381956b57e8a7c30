import HTTPTypes
import Hummingbird
import LedgerCore

/// Every error the API returns: `{ "error": { "code", "message", "details"? } }`.
///
/// `code` is a stable machine-readable word; `message` is for people; `details` lists the
/// individual problems (invalid items of a batch, conflicting ids) when there are several.
public struct APIError: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var details: JSONValue?
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, message: String, details: JSONValue? = nil,
                headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public var body: JSONValue {
        var error: JSONObject = ["code": .string(code), "message": .string(message)]
        if let details { error["details"] = details }
        return .object(["error": .object(error)])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = Response.json(body, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

extension APIError {
    /// 401, with the challenge RFC 6750 asks for.
    static func unauthorized(invalid: Bool) -> APIError {
        let challenge = invalid ? "Bearer realm=\"auditledger\", error=\"invalid_token\"" : "Bearer realm=\"auditledger\""
        return APIError(.unauthorized, code: "unauthorized",
                        message: invalid ? "The bearer token is invalid or revoked" : "A bearer token is required",
                        headers: [.wwwAuthenticate: challenge])
    }

    /// 403 for another account or a scope the token lacks: one message for both, so that a
    /// refusal says nothing about what exists.
    static let forbidden = APIError(.forbidden, code: "forbidden", message: "No permission")

    /// 404 for an unknown event, and for an event of an account the token may not read.
    static let notFound = APIError(.notFound, code: "not_found", message: "Resource not found")

    static func badRequest(_ code: String = "invalid_request", _ message: String, details: JSONValue? = nil) -> APIError {
        APIError(.badRequest, code: code, message: message, details: details)
    }

    static func invalidParameter(_ name: String, _ reason: String) -> APIError {
        APIError(.badRequest, code: "invalid_parameter", message: "\(name): \(reason)",
                 details: .array([.object(["parameter": .string(name), "reason": .string(reason)])]))
    }

    static let unavailable = APIError(.serviceUnavailable, code: "unavailable",
                                      message: "The ledger is shutting down; retry on another node or later",
                                      headers: [.retryAfter: "1"])

    /// 503 while the ledger's database is down or unreachable: another node, or this one a
    /// moment later, can take the request.
    static let storeUnavailable = APIError(.serviceUnavailable, code: "store_unavailable",
                                           message: "The ledger's database is unavailable; retry shortly",
                                           headers: [.retryAfter: "1"])

    /// 503 from a server built without the ledger's signing key (see `ServerDependencies.checkpoints`).
    static let signingUnavailable = APIError(.serviceUnavailable, code: "signing_unavailable",
                                             message: "This server has no signing key: it serves no checkpoints or export manifests")

    static func payloadTooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "payload_too_large", message: "The body is larger than \(limit) bytes")
    }

    /// Every invalid item of a body, each with its position and field.
    static func validation(_ failure: ValidationFailure, code: String = "invalid_events") -> APIError {
        let details = failure.issues.map { issue -> JSONValue in
            var item: JSONObject = ["field": .string(issue.field), "reason": .string(issue.reason)]
            if let index = issue.index { item["index"] = JSONValue(integer: index) }
            if let line = issue.line { item["line"] = JSONValue(integer: line) }
            return .object(item)
        }
        let first = failure.issues.first.map(\.description) ?? "invalid body"
        let message = failure.issues.count == 1 ? first : "\(failure.issues.count) problems; the first: \(first)"
        return APIError(.badRequest, code: code, message: message, details: .array(details))
    }
}

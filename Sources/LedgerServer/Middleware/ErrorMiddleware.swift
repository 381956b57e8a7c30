import Hummingbird
import LedgerCore
import LedgerStore
import Logging
import NIOCore

/// Turns every error a route throws into the API's JSON error body, so that no client ever
/// sees Hummingbird's plain-text errors or an empty 500. Storage errors are mapped here, once:
/// a refused tree size is the client's mistake (400), a closing ledger or a database outage is
/// 503, and anything unexpected is a logged 500 that names no internals.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = Self.map(error)
            if error is StoreUnavailableError {
                // Not the client's fault and not a bug: the operator must see the outage.
                context.logger.warning("store unavailable", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            } else if apiError.status == .internalServerError {
                context.logger.error("request failed", metadata: [
                    "error": "\(String(reflecting: error))", "path": "\(request.uri.path)", "method": "\(request.method)",
                ])
            }
            return try apiError.response(from: request, context: context)
        }
    }

    static func map(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as AppendError:
            switch error {
            case .closed: return .unavailable
            case .conflicts(let conflicts): return .conflict(conflicts)
            }
        case is StoreUnavailableError:
            return .storeUnavailable
        case is ReplicaLagError:
            // Reads from a replica that has not caught up with this node's writes: try again.
            return APIError(.serviceUnavailable, code: "replica_lagging",
                            message: "The read replica has not caught up with this node's writes yet; retry shortly")
        case let error as TreeSizeError:
            return .badRequest("invalid_tree_size", error.description)
        case let error as MerkleError:
            return .badRequest("invalid_tree_size", "\(error)")
        case is CheckpointError:
            // The ledger would not sign (a tree that shrank or diverged, a foreign key): the
            // server's problem, logged in full by `handle`, not the client's.
            return APIError(.internalServerError, code: "checkpoint_refused",
                            message: "The ledger refused to sign a checkpoint; see the server log")
        case let error as QuerySyntaxError:
            return .badRequest("invalid_query", error.description)
        case let error as TokenError:
            switch error {
            case .unknown: return .notFound
            default: return .badRequest("invalid_request", error.description)
            }
        case let error as NIOTooManyBytesError:
            return .payloadTooLarge(error.maxBytes ?? EventIntake.maxBodyBytes)
        case let error as HTTPError:
            return fromHTTPError(error)
        case let error as any HTTPResponseError:
            return APIError(error.status, code: code(for: error.status), message: error.status.reasonPhrase)
        default:
            return APIError(.internalServerError, code: "internal_error", message: "Internal error")
        }
    }

    private static func fromHTTPError(_ error: HTTPError) -> APIError {
        if error.status == .notFound { return .notFound }
        var apiError = APIError(error.status, code: code(for: error.status), message: error.body ?? error.status.reasonPhrase)
        apiError.headers = error.headers
        return apiError
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .badRequest: "invalid_request"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .contentTooLarge: "payload_too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        case .uriTooLong: "uri_too_long"
        case .serviceUnavailable: "unavailable"
        default: status.code < 500 ? "invalid_request" : "internal_error"
        }
    }
}

extension APIError {
    /// 409: ids the account already holds with different content, and which event holds each.
    static func conflict(_ conflicts: [IdempotencyConflict]) -> APIError {
        let details = conflicts.map { conflict -> JSONValue in
            var item: JSONObject = ["index": JSONValue(integer: conflict.index), "id": .string(conflict.clientID),
                                    "reason": "already used by an event with different content"]
            if let seq = conflict.existingSeq { item["existing_seq"] = JSONValue(integer: seq) }
            return .object(item)
        }
        return APIError(.conflict, code: "idempotency_conflict",
                        message: "\(conflicts.count) event id(s) already used with different content; nothing was stored",
                        details: .array(details))
    }
}

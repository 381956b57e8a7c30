import Hummingbird
import NIOCore

/// Reads a request body up to a limit, refusing a larger one by its `Content-Length` before
/// reading a byte of it, and otherwise as soon as the limit is passed.
enum RequestBodyLimit {
    static func collect(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError.payloadTooLarge(limit)
        }
        do {
            var buffer = try await request.body.collect(upTo: limit)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch is NIOTooManyBytesError {
            throw APIError.payloadTooLarge(limit)
        }
    }
}

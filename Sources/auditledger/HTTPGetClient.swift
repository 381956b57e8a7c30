import Foundation
import LedgerCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTP/1.1 GET over SwiftNIO, with TLS for `https` URLs: what `auditledger tail` asks a
/// server for.
///
/// Not `URLSession`: on Linux it lives in FoundationNetworking, which links libcurl and about
/// thirty system libraries (TLS, Kerberos, LDAP, SSH, compression) into the `auditledger` binary.
/// Every `auditledger serve` loaded them for a command it never runs: 6.2 MiB of its RSS, against
/// a 200 MB bar under load (Benchmarks/PROFILES.md, "Libraries the server never calls"). NIO and
/// NIOSSL are in the binary already, for the server and the PostgreSQL client.
struct HTTPGetClient {
    struct Response {
        var status: Int
        var body: [UInt8]
    }

    enum Failure: Error, CustomStringConvertible {
        case unsupportedURL(String)
        case cannotConnect(String, reason: String)
        case timedOut(seconds: Int64)
        case incompleteResponse
        case responseTooLarge(limit: Int)

        var description: String {
            switch self {
            case .unsupportedURL(let url): "not an http or https URL: \(url)"
            case .cannotConnect(let address, let reason): "cannot connect to \(address): \(reason)"
            case .timedOut(let seconds): "no complete answer within \(seconds) s"
            case .incompleteResponse: "the connection closed before the response ended"
            case .responseTooLarge(let limit): "the response is larger than \(limit) bytes"
            }
        }
    }

    private let host: String
    private let port: Int
    private let hostHeader: String
    private let tls: NIOSSLContext?
    private let maxBodyBytes: Int

    /// - Parameter maxBodyBytes: a longer response body is refused (`Failure.responseTooLarge`).
    ///   A page of the stream is at most 1,000 events, a few MiB; anything far larger is not ours.
    init(baseURL: URL, maxBodyBytes: Int = 256 << 20) throws {
        self.maxBodyBytes = maxBodyBytes
        guard let scheme = baseURL.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = baseURL.host(percentEncoded: false), !host.isEmpty else {
            throw Failure.unsupportedURL(baseURL.absoluteString)
        }
        // URL gives an IPv6 literal without its brackets, as connect wants it.
        self.host = host
        port = baseURL.port ?? (scheme == "https" ? 443 : 80)
        let bracketed = host.contains(":") ? "[\(host)]" : host
        hostHeader = baseURL.port.map { "\(bracketed):\($0)" } ?? bracketed
        tls = scheme == "https" ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
    }

    /// GETs `pathAndQuery` on a connection of its own, closed after the response. Throws
    /// `Failure.timedOut` if the whole exchange takes longer than `timeout`.
    func get(_ pathAndQuery: String, headers: [(String, String)], timeout: Duration) async throws -> Response {
        try await withThrowingTaskGroup(of: Response.self) { group in
            group.addTask { try await exchange(pathAndQuery, headers: headers) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw Failure.timedOut(seconds: timeout.components.seconds)
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// The operating system's words for why a connection failed ("Connection refused"), rather
    /// than NIO's description of its attempts.
    private static func reason(_ error: NIOConnectionError) -> String {
        guard let attempt = error.connectionErrors.first?.error else {
            // No address to try: the name did not resolve.
            return (error.dnsAError ?? error.dnsAAAAError).map { "cannot resolve the host (\($0))" } ?? "\(error)"
        }
        if let ioError = attempt as? IOError { return String(cString: strerror(ioError.errnoCode)) }
        return "\(attempt)"
    }

    private func exchange(_ pathAndQuery: String, headers: [(String, String)]) async throws -> Response {
        let tls = tls
        let serverName = IPAddress(host) == nil ? host : nil  // SNI takes names, never addresses
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tls, serverHostname: serverName))
                        }
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
                    }
                }
        } catch let error as NIOConnectionError {
            throw Failure.cannotConnect(hostHeader, reason: Self.reason(error))
        }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: pathAndQuery)
            head.headers.add(name: "Host", value: hostHeader)
            head.headers.add(name: "Connection", value: "close")
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            try await outbound.write(.head(head))
            try await outbound.write(.end(nil))

            var status = 0
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let response): status = Int(response.status.code)
                case .body(let chunk):
                    guard body.count + chunk.readableBytes <= maxBodyBytes else {
                        throw Failure.responseTooLarge(limit: maxBodyBytes)
                    }
                    body.append(contentsOf: chunk.readableBytesView)
                case .end: return Response(status: status, body: body)
                }
            }
            throw Failure.incompleteResponse
        }
    }
}

import Foundation
import Testing
@testable import auditledger

/// `auditledger tail`'s HTTP client against a scripted server: it reassembles chunked bodies,
/// sends the request a server expects, and ends every broken exchange with its own error instead
/// of hanging or holding unbounded memory (the end-to-end cases are `TailProcessTests`).
@Suite struct HTTPGetClientTests {
    /// Listens on 127.0.0.1, records the first request's head and answers it with `response`
    /// (then closes), or never answers while `answers` is false.
    final class ScriptedServer: @unchecked Sendable {
        let port: Int
        private let listener: Int32
        private let lock = NSLock()
        private var head = ""

        init(response: [UInt8], answers: Bool = true) throws {
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            self.listener = listener
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let listening = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(listener, $0, length) == 0 && listen(listener, 4) == 0 && getsockname(listener, $0, &length) == 0
                }
            }
            guard listening else { throw POSIXError(.EADDRNOTAVAIL) }
            port = Int(UInt16(bigEndian: address.sin_port))
            Thread.detachNewThread { [self] in
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 4096)
                while !received.ends(with: Array("\r\n\r\n".utf8)) {
                    let count = read(client, &buffer, buffer.count)
                    if count <= 0 { break }
                    received += buffer[..<count]
                }
                lock.withLock { head = String(decoding: received, as: UTF8.self) }
                if answers {
                    var sent = 0
                    while sent < response.count {
                        let count = response[sent...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                        if count <= 0 { break }
                        sent += count
                    }
                    close(client)
                } else {
                    // Hold the connection open without a word until the test is over.
                    Thread.sleep(forTimeInterval: 120)
                    close(client)
                }
            }
        }

        var requestHead: String { lock.withLock { head } }

        deinit { close(listener) }
    }

    static func client(_ server: ScriptedServer, maxBodyBytes: Int = 1 << 20) throws -> HTTPGetClient {
        try HTTPGetClient(baseURL: URL(string: "http://127.0.0.1:\(server.port)/v1/stream")!, maxBodyBytes: maxBodyBytes)
    }

    @Test func readsAChunkedBodyAndSendsHostAndHeaders() async throws {
        let server = try ScriptedServer(response: Array(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n".utf8))
        let response = try await Self.client(server).get("/v1/stream?wait=1", headers: [("Authorization", "Bearer t")],
                                                         timeout: .seconds(10))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "hello, world")
        let head = server.requestHead
        #expect(head.hasPrefix("GET /v1/stream?wait=1 HTTP/1.1\r\n"), "\(head)")
        #expect(head.contains("Host: 127.0.0.1:\(server.port)\r\n"), "\(head)")
        #expect(head.contains("Authorization: Bearer t\r\n"), "\(head)")
    }

    @Test func refusesABodyOverItsLimit() async throws {
        let body = String(repeating: "x", count: 4096)
        let server = try ScriptedServer(response: Array("HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n\r\n\(body)".utf8))
        await #expect(throws: HTTPGetClient.Failure.self) {
            _ = try await Self.client(server, maxBodyBytes: 1000).get("/", headers: [], timeout: .seconds(10))
        }
    }

    @Test func aConnectionClosedMidBodyIsAnErrorNotAShortBody() async throws {
        let server = try ScriptedServer(response: Array("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b".utf8))
        await #expect(throws: (any Error).self) {
            let response = try await Self.client(server).get("/", headers: [], timeout: .seconds(10))
            Issue.record("a 10-byte body of 100 came back as a response: \(response.body.count) bytes")
        }
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let server = try ScriptedServer(response: [], answers: false)
        let started = ContinuousClock.now
        await #expect(throws: HTTPGetClient.Failure.self) {
            _ = try await Self.client(server).get("/", headers: [], timeout: .milliseconds(300))
        }
        // The server holds the connection for 120 s. Alone this takes 0.3 s, beside the other
        // suites on two busy cores up to 9 s; the bound still tells giving up from waiting.
        #expect(ContinuousClock.now - started < .seconds(60))
    }
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}

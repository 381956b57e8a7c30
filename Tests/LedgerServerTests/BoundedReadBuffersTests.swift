import HummingbirdCore
import HummingbirdTesting
@testable import LedgerServer
import Logging
import NIOCore
import NIOEmbedded
import Testing

struct BoundedReadBuffersTests {
    /// A child channel that only remembers the read allocator its connection had at setup.
    struct RecordingChannel: ServerChildChannel {
        struct Value: ServerChildChannelValue {
            let channel: any Channel
            let allocator: AdaptiveRecvByteBufferAllocator?
        }

        func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
            channel.getOption(ChannelOptions.recvAllocator).map {
                Value(channel: channel, allocator: $0 as? AdaptiveRecvByteBufferAllocator)
            }
        }

        func handle(value: Value, logger: Logger) async {}
    }

    @Test func theConnectionHasItsReadBoundBeforeTheHTTPSetupRuns() throws {
        let channel = EmbeddedChannel()
        let bounded = BoundedReadBuffersChannel(base: RecordingChannel(), maxReadBytes: 16 * 1024)
        let value = try bounded.setup(channel: channel, logger: Logger(label: "test")).wait()
        let allocator = try #require(value.allocator)
        #expect(allocator.maximum == 16 * 1024)
        #expect(allocator.initial == 2048)
    }

    /// A bound NIO's allocator cannot take (under its 64-byte minimum, or not a power of two, which
    /// it would round up past the bound) becomes the largest one it can, instead of stopping the
    /// process on the first connection. A bound under the first read's 2 KiB is the first read too.
    @Test(arguments: [(Int.min, 64), (0, 64), (1, 64), (63, 64), (64, 64), (100, 64), (512, 512), (20_000, 16_384), (16_384, 16_384)])
    func everyBoundBecomesOneTheAllocatorTakes(requested: Int, bound: Int) throws {
        let channel = EmbeddedChannel()
        let bounded = BoundedReadBuffersChannel(base: RecordingChannel(), maxReadBytes: requested)
        #expect(bounded.maxReadBytes == bound)
        let value = try bounded.setup(channel: channel, logger: Logger(label: "test")).wait()
        #expect(value.allocator?.maximum == bound)
        #expect(value.allocator?.initial == min(2048, bound))
    }

    /// A body hundreds of times the read bound arrives whole: every event stored, none twice.
    @Test func aLargeBatchArrivesWholeThroughSmallReads() async throws {
        let server = try await TestServer()
        let app = buildApplication(try server.dependencies, configuration: ServerConfiguration(port: 0, maxReadBytes: 256))
        let events = (0..<400).map { Body.event(id: "big-\($0)", description: String(repeating: "lorem ipsum ", count: 20)) }
        let body = Body.batch(events)
        #expect(body.utf8.count > 500 * 256)
        try await app.test(.live) { client in
            let response = try await client.post(body, token: server.ingestA)
            #expect(response.status == .created)
            let receipts = try #require(try response.json["receipts"]?.arrayValue)
            #expect(receipts.map { $0["id"]?.stringValue } == (0..<400).map { "big-\($0)" })
            #expect(try await server.eventCount() == 400)
        }
    }
}

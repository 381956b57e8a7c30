import HummingbirdCore
import Logging
import NIOCore

/// A child channel that reads from its socket into buffers of at most `maxReadBytes`.
///
/// NIO keeps a pool of read buffers per connection, as many as it reads messages per wake-up
/// (four), and each grows to its allocator's maximum (64 KiB by default) when a client sends
/// large bodies. The pool lives as long as the connection: with 64 clients posting batches of
/// 100 events that was about 17 MiB of the server's memory (Benchmarks/PROFILES.md, "Server memory
/// under load"). Smaller buffers only mean more reads for a large body.
struct BoundedReadBuffersChannel<Base: ServerChildChannel>: ServerChildChannel {
    let base: Base
    /// The bound as NIO's allocator can hold it (`readBound(_:)`).
    let maxReadBytes: Int

    init(base: Base, maxReadBytes: Int) {
        self.base = base
        self.maxReadBytes = Self.readBound(maxReadBytes)
    }

    /// NIO's adaptive allocator sizes its buffers in powers of two, rounds its maximum up to one,
    /// and stops the process on a maximum under its 64-byte minimum or an odd size. So the bound
    /// is the largest power of two not over the one asked for, and at least 64 bytes.
    static func readBound(_ requested: Int) -> Int {
        var bound = 64
        while bound <= requested / 2 { bound *= 2 }
        return bound
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Base.Value> {
        let allocator = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: min(2048, maxReadBytes), maximum: maxReadBytes)
        return channel.setOption(ChannelOptions.recvAllocator, value: allocator).flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Base.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

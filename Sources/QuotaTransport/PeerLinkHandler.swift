import Logging
import NIOCore
import QuotaWire

/// The handler of a ``PeerLink`` connection: frames each message written to it as a peer frame, writes it at once
/// and flushes once per event loop tick; drops messages while the connection is not writable (more than its
/// high water mark waits to be written); discards whatever the peer sends.
final class PeerLinkHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let logger: Logger
    private var context: ChannelHandlerContext?
    private var flushScheduled = false
    /// Whether messages are being dropped because the connection is not writable; logged when it starts.
    private var dropping = false

    init(logger: Logger) {
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let body = Self.unwrapOutboundIn(data)
        guard context.channel.isWritable else {
            if !self.dropping {
                self.dropping = true
                self.logger.warning("the peer reads too slowly; dropping peer messages until it catches up")
            }
            promise?.succeed()
            return
        }
        var frame = context.channel.allocator.buffer(capacity: WireFrameHeader.size + body.readableBytes)
        do {
            try WireCodec.encodePeerFrame(body: body, into: &frame)
        } catch {
            promise?.fail(error)
            return
        }
        context.write(Self.wrapOutboundOut(frame), promise: promise)
        self.scheduleFlush(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // A receiver answers peer frames only to refuse the connection, which it then closes.
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, self.dropping {
            self.dropping = false
            self.logger.info("the peer caught up; sending peer messages again")
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.logger.debug("closing the connection to the peer after an error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    private func scheduleFlush(_ context: ChannelHandlerContext) {
        guard !self.flushScheduled else { return }
        self.flushScheduled = true
        context.eventLoop.assumeIsolated().execute {
            self.flushScheduled = false
            self.context?.flush()
        }
    }
}

@available(*, unavailable)
extension PeerLinkHandler: Sendable {}

import Logging
import NIOCore

/// The handler of a ``PeerLink`` connection: passes the link's batches of peer frames on to the connection,
/// dropping a batch while the connection is not writable (more than its high water mark waits to be written);
/// discards whatever the peer sends.
final class PeerLinkHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let logger: Logger
    /// Whether messages are being dropped because the connection is not writable; logged when it starts.
    private var dropping = false

    init(logger: Logger) {
        self.logger = logger
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard context.channel.isWritable else {
            if !self.dropping {
                self.dropping = true
                self.logger.warning("the peer reads too slowly; dropping peer messages until it catches up")
            }
            promise?.succeed()
            return
        }
        context.write(data, promise: promise)
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
}

@available(*, unavailable)
extension PeerLinkHandler: Sendable {}

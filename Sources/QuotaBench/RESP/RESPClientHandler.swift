import NIOCore

/// The handler of a RESP connection: encodes commands, completes their promises with the replies in order
/// (Redis answers a connection's commands in the order they were sent), and fails every outstanding command when
/// the connection goes.
///
/// Commands written in one event loop tick go out in one write and one flush.
final class RESPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = Outgoing
    typealias OutboundOut = ByteBuffer

    /// A command and the promise its reply completes.
    struct Outgoing: Sendable {
        var arguments: [String]
        var promise: EventLoopPromise<RESPValue>
    }

    private var context: ChannelHandlerContext?
    /// The promises of commands sent and not yet answered, oldest first.
    private var outstanding = CircularBuffer<EventLoopPromise<RESPValue>>()
    /// Commands encoded but not yet written.
    private var output = ByteBuffer()
    private var flushScheduled = false
    /// Set once the connection is gone; every later command fails with it.
    private var failure: RESPConnectionError?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let outgoing = Self.unwrapOutboundIn(data)
        promise?.succeed()
        if let failure = self.failure {
            outgoing.promise.fail(failure)
            return
        }
        RESPEncoder.encodeCommand(outgoing.arguments, into: &self.output)
        self.outstanding.append(outgoing.promise)
        self.scheduleFlush(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = Self.unwrapInboundIn(data)
        guard let promise = self.outstanding.popFirst() else {
            self.fail(context, .unexpectedReply)
            return
        }
        promise.succeed(reply)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail(context, .protocolError("\(error)"))
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.failAll(self.failure ?? .connectionClosed)
        context.fireChannelInactive()
    }

    /// Fails every outstanding and later command with `error` and closes the connection.
    private func fail(_ context: ChannelHandlerContext, _ error: RESPConnectionError) {
        self.failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: RESPConnectionError) {
        if self.failure == nil { self.failure = error }
        let outstanding = self.outstanding
        self.outstanding.removeAll()
        for promise in outstanding { promise.fail(error) }
    }

    private func scheduleFlush(_ context: ChannelHandlerContext) {
        guard !self.flushScheduled else { return }
        self.flushScheduled = true
        context.eventLoop.assumeIsolated().execute {
            self.flushScheduled = false
            guard let context = self.context, self.output.readableBytes > 0 else { return }
            context.writeAndFlush(Self.wrapOutboundOut(self.output), promise: nil)
            self.output.clear()
        }
    }
}

@available(*, unavailable)
extension RESPClientHandler: Sendable {}

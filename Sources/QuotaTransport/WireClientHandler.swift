import NIOCore
import QuotaWire

/// The handler of a ``WireClient`` connection: encodes requests, matches responses to them by request id,
/// and fails every outstanding request when the connection goes.
///
/// Requests written in one event loop tick go out in one write and one flush.
final class WireClientHandler: ChannelDuplexHandler {
    typealias InboundIn = WireFrame
    typealias OutboundIn = Outgoing
    typealias OutboundOut = ByteBuffer

    /// A request and the promise its response completes.
    struct Outgoing: Sendable {
        var request: WireRequest
        var promise: EventLoopPromise<WireResponse>
    }

    private var context: ChannelHandlerContext?
    /// The promises of requests sent and not yet answered, by request id.
    private var outstanding: [UInt64: EventLoopPromise<WireResponse>] = [:]
    /// Requests encoded but not yet written.
    private var output = ByteBuffer()
    private var flushScheduled = false
    /// Set once the connection is gone, or the peer has rejected it; every later request fails with it.
    private var failure: WireTransportError?

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
        let id = outgoing.request.requestID
        guard id != 0, self.outstanding[id] == nil else {
            outgoing.promise.fail(WireTransportError.invalidRequestID(id))
            return
        }
        do {
            try WireCodec.encode(outgoing.request, into: &self.output)
        } catch {
            outgoing.promise.fail(WireTransportError.unencodableRequest(error))
            return
        }
        self.outstanding[id] = outgoing.promise
        self.scheduleFlush(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        let id = frame.header.requestID
        let response: WireResponse
        do {
            response = try WireCodec.decodeResponse(frame)
        } catch {
            self.outstanding.removeValue(forKey: id)?.fail(WireTransportError.malformedResponse(error))
            return
        }
        if id == 0, case .error(let code, let message) = response.body {
            self.failure = .connectionRejected(code: code, message: message)
        } else {
            self.outstanding.removeValue(forKey: id)?.succeed(response)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let failure = self.failure ?? .connectionClosed
        self.failure = failure
        let outstanding = self.outstanding
        self.outstanding = [:]
        for promise in outstanding.values { promise.fail(failure) }
        context.fireChannelInactive()
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
extension WireClientHandler: Sendable {}

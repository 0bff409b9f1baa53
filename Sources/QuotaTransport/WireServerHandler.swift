import Logging
import NIOCore
import QuotaWire

/// The per-connection handler of a ``WireServer``: cuts the byte stream into frames, decodes request frames, hands
/// them to the ``WireRequestHandler``, and writes the answers; hands peer frames to the ``PeerFrameHandler``.
///
/// It cuts frames itself with a ``WireFrameDecoder`` rather than behind NIO's `ByteToMessageHandler`: every frame
/// of a read goes straight into the waiting queue, without a pipeline event (and its type-erased `NIOAny`) per
/// frame. Bytes of an incomplete frame are kept until the next read completes it.
///
/// Answers are encoded into one buffer and written with one flush per read burst (at
/// `channelReadComplete`) or, for answers that arrive later, once per event loop tick. At most
/// `maximumOutstanding` requests are with the request handler at once; frames beyond that wait (at most
/// those of one read), and the connection is not read again until none wait.
///
/// Peer frames keep their place among the waiting frames, so the peer handler sees them in arrival order, but
/// are never answered and do not count as outstanding: one at the head of the queue is handed over even when
/// `maximumOutstanding` requests are. Without a peer handler, a peer frame is a connection-level error.
final class WireServerHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var decoder: WireFrameDecoder
    /// Received bytes not yet cut into frames: the start of an incomplete frame, or nothing.
    private var received: ByteBuffer?
    private let requestHandler: any WireRequestHandler
    private let peerHandler: (any PeerFrameHandler)?
    private let maximumOutstanding: Int
    private let logger: Logger
    private var context: ChannelHandlerContext?
    /// Answers encoded but not yet written.
    private var output = ByteBuffer()
    /// Requests handed to the request handler and not yet answered.
    private var outstanding = 0
    /// Request frames received and not yet handed to the request handler, because `maximumOutstanding` are.
    private var waiting = CircularBuffer<WireFrame>()
    /// Requests decoded by ``dispatchWaiting()`` and handed to the request handler together when it is done.
    private var decoded: [WireRequest] = []
    /// Whether a read was held back because frames are waiting.
    private var readHeldBack = false
    /// Whether ``dispatchWaiting()`` is running.
    private var dispatching = false
    /// Whether we are between `channelRead` and `channelReadComplete`, which will flush.
    private var inReadBurst = false
    /// Bodies of the peer frames of the current read burst, handed over together at `channelReadComplete`.
    private var peerBodies: [ByteBuffer] = []
    private var flushScheduled = false
    /// Whether a framing error was answered and the connection is closing.
    private var closing = false
    /// Answers made on other threads, waiting for the event loop.
    private let inbox = WireAnswerInbox()

    init(
        decoder: WireFrameDecoder,
        requestHandler: any WireRequestHandler,
        peerHandler: (any PeerFrameHandler)?,
        maximumOutstanding: Int,
        logger: Logger
    ) {
        self.decoder = decoder
        self.requestHandler = requestHandler
        self.peerHandler = peerHandler
        self.maximumOutstanding = maximumOutstanding
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.closing else { return }
        self.inReadBurst = true
        var bytes = Self.unwrapInboundIn(data)
        if var kept = self.received.take() {
            // Dropping the bytes already cut costs a copy of the kept ones; doing it only once they are the smaller
            // part bounds the copying by the bytes received, even while a large frame arrives over many reads.
            if kept.readerIndex >= kept.readableBytes { kept.discardReadBytes() }
            kept.writeBuffer(&bytes)
            bytes = kept
        }
        let framingError: WireError?
        do {
            while let frame = try self.decoder.decode(buffer: &bytes) { self.waiting.append(frame) }
            framingError = nil
        } catch {
            framingError = error
        }
        if bytes.readableBytes > 0, framingError == nil { self.received = bytes }
        self.dispatchWaiting()
        if let framingError { self.refuseStream(framingError, context: context) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.inReadBurst = false
        self.handOverPeerBodies()
        self.writeOutput()
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if self.waiting.isEmpty {
            context.read()
        } else {
            self.readHeldBack = true
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !self.closing else { return }
        self.closing = true
        self.logger.debug("closing the connection after an error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    /// Answers a framing error (the stream is out of step from there on) with an error frame, and closes.
    private func refuseStream(_ error: WireError, context: ChannelHandlerContext) {
        guard !self.closing else { return }
        self.logger.debug("refused a frame; closing the connection", metadata: ["error": "\(error)"])
        self.refuseConnection(code: error.code, message: "\(error)", context: context)
    }

    /// Sends what is in the output, then one error frame with request id 0, then closes the connection.
    private func refuseConnection(code: String, message: String, context: ChannelHandlerContext) {
        self.closing = true
        self.enqueue(WireResponse(requestID: 0, body: .error(code: code, message: message)))
        let channel = context.channel
        context.writeAndFlush(Self.wrapOutboundOut(self.output)).whenComplete { _ in channel.close(promise: nil) }
        self.output.clear()
    }

    /// Hands waiting frames to the request handler while fewer than `maximumOutstanding` are unanswered,
    /// the requests of a pass in one call, and reads again once none wait.
    ///
    /// Not re-entered: an answer given inline while it runs only lowers `outstanding`, and its loop goes on.
    private func dispatchWaiting() {
        guard !self.dispatching else { return }
        self.dispatching = true
        defer { self.dispatching = false }
        repeat {
            while !self.closing, let frame = self.waiting.first,
                frame.header.kind == .peer || self.outstanding < self.maximumOutstanding
            {
                self.waiting.removeFirst()
                self.dispatch(frame)
            }
            self.handOverDecoded()
        } while !self.closing && !self.waiting.isEmpty && self.outstanding < self.maximumOutstanding
        if self.readHeldBack, self.waiting.isEmpty, let context = self.context {
            self.readHeldBack = false
            context.read()
        }
    }

    /// Decodes one request for ``handOverDecoded()``, or answers a malformed one with an error; passes a peer
    /// frame to ``deliverPeerFrame(_:)``, after handing over the requests that came before it.
    private func dispatch(_ frame: WireFrame) {
        if frame.header.kind == .peer {
            self.handOverDecoded()
            self.deliverPeerFrame(frame)
            return
        }
        let request: WireRequest
        do {
            request = try WireCodec.decodeRequest(frame)
        } catch {
            self.logger.debug("refused a malformed request", metadata: ["error": "\(error)"])
            self.enqueue(
                WireResponse(requestID: frame.header.requestID, body: .error(code: error.code, message: "\(error)"))
            )
            return
        }
        self.outstanding += 1
        // Room for this request and the frames of the read still waiting, at once rather than growing the array
        // step by step.
        if self.decoded.isEmpty { self.decoded.reserveCapacity(self.waiting.count + 1) }
        self.decoded.append(request)
    }

    /// Hands the requests decoded so far to the request handler, in one call.
    private func handOverDecoded() {
        guard !self.decoded.isEmpty, let context = self.context else { return }
        let requests = self.decoded
        self.decoded = []
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let inbox = self.inbox
        self.requestHandler.handle(requests) { response in
            if handler.eventLoop.inEventLoop {
                handler.value.answer(response)
            } else if inbox.add(response) {
                handler.eventLoop.execute {
                    for answer in inbox.take() { handler.value.answer(answer) }
                }
            }
        }
    }

    /// Gathers a peer frame's body for the peer handler: handed over with the others of the read burst, or at
    /// once outside one. Without a peer handler, the frame is refused like a kind the server does not know, and
    /// the connection closes; with a request id other than 0, it is answered `bad_frame` with that id.
    private func deliverPeerFrame(_ frame: WireFrame) {
        guard self.peerHandler != nil else {
            guard let context = self.context else { return }
            self.logger.debug("refused a peer frame: this server takes none; closing the connection")
            self.refuseConnection(
                code: WireErrorCode.badFrame,
                message: "this server takes no peer frames (kind 0x30)",
                context: context
            )
            return
        }
        let body: ByteBuffer
        do {
            body = try WireCodec.decodePeerFrame(frame)
        } catch {
            self.logger.debug("refused a malformed peer frame", metadata: ["error": "\(error)"])
            self.enqueue(
                WireResponse(requestID: frame.header.requestID, body: .error(code: error.code, message: "\(error)"))
            )
            return
        }
        self.peerBodies.append(body)
        if !self.inReadBurst { self.handOverPeerBodies() }
    }

    /// Hands the peer frames gathered so far to the peer handler, in arrival order.
    private func handOverPeerBodies() {
        guard !self.peerBodies.isEmpty, let peerHandler = self.peerHandler else { return }
        let bodies = self.peerBodies
        self.peerBodies.removeAll(keepingCapacity: true)
        peerHandler.received(bodies)
    }

    /// Sends the answer to one request, on the event loop. The response is borrowed all the way into the output
    /// buffer: a copy would retain and release each of its strings and arrays.
    private func answer(_ response: borrowing WireResponse) {
        self.outstanding -= 1
        guard !self.closing else { return }
        self.enqueue(response)
        if !self.inReadBurst { self.scheduleFlush() }
        self.dispatchWaiting()
    }

    /// Encodes `response` into the output, which `channelReadComplete` or a scheduled flush writes.
    /// A response that cannot be encoded is answered with an `internal` error instead.
    private func enqueue(_ response: borrowing WireResponse) {
        do {
            try WireCodec.encode(response, into: &self.output)
        } catch {
            self.logger.error("a response could not be encoded", metadata: ["error": "\(error)"])
            let replacement = WireResponse(
                requestID: response.requestID,
                body: .error(code: WireErrorCode.internalError, message: "the response could not be encoded")
            )
            do {
                try WireCodec.encode(replacement, into: &self.output)
            } catch {
                preconditionFailure("an error frame with short strings always encodes: \(error)")
            }
        }
    }

    private func scheduleFlush() {
        guard !self.flushScheduled, let context = self.context else { return }
        self.flushScheduled = true
        context.eventLoop.assumeIsolated().execute {
            self.flushScheduled = false
            self.writeOutput()
        }
    }

    private func writeOutput() {
        guard self.output.readableBytes > 0, let context = self.context, !self.closing else { return }
        context.writeAndFlush(Self.wrapOutboundOut(self.output), promise: nil)
        self.output.clear()
    }
}

@available(*, unavailable)
extension WireServerHandler: Sendable {}

import NIOCore
import NIOHTTP1

/// The handler of a keep-alive HTTP/1.1 connection with pipelining: writes requests as they come, and completes
/// their promises with the responses in order (HTTP/1.1 answers a connection's requests in the order sent).
/// Every outstanding request fails when the connection goes.
///
/// Sits after NIO's HTTP client codec. Requests written in one event loop tick go out with one flush.
final class HTTPPipelineHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = Outgoing
    typealias OutboundOut = HTTPClientRequestPart

    /// A request and the promise its response completes.
    struct Outgoing: Sendable {
        var request: HTTPExchangeRequest
        var promise: EventLoopPromise<HTTPExchangeResponse>
    }

    /// Response bodies above this fail the connection: quotad's answers to the bench are a few hundred bytes.
    static let maximumBodyBytes = 1024 * 1024

    private let hostHeader: String
    private var context: ChannelHandlerContext?
    /// The promises of requests sent and not yet answered, oldest first.
    private var outstanding = CircularBuffer<EventLoopPromise<HTTPExchangeResponse>>()
    private var responseStatus: HTTPResponseStatus?
    private var responseBody = ByteBuffer()
    private var flushScheduled = false
    /// Set once the connection is gone; every later request fails with it.
    private var failure: HTTPConnectionError?

    init(hostHeader: String) {
        self.hostHeader = hostHeader
    }

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
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: self.hostHeader)
        if let body = outgoing.request.body {
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(body.readableBytes))
        }
        let head = HTTPRequestHead(
            version: .http1_1,
            method: outgoing.request.method,
            uri: outgoing.request.path,
            headers: headers
        )
        context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        if let body = outgoing.request.body {
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        context.write(Self.wrapOutboundOut(.end(nil)), promise: nil)
        self.outstanding.append(outgoing.promise)
        self.scheduleFlush(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.responseStatus = head.status
            self.responseBody.clear()
        case .body(var chunk):
            guard self.responseBody.readableBytes + chunk.readableBytes <= Self.maximumBodyBytes else {
                self.fail(context, .responseTooLarge(maximum: Self.maximumBodyBytes))
                return
            }
            self.responseBody.writeBuffer(&chunk)
        case .end:
            guard let status = self.responseStatus, let promise = self.outstanding.popFirst() else {
                self.fail(context, .unexpectedResponse)
                return
            }
            self.responseStatus = nil
            promise.succeed(HTTPExchangeResponse(status: status, body: self.responseBody))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail(context, .protocolError("\(error)"))
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.failAll(self.failure ?? .connectionClosed)
        context.fireChannelInactive()
    }

    /// Fails every outstanding and later request with `error` and closes the connection.
    private func fail(_ context: ChannelHandlerContext, _ error: HTTPConnectionError) {
        self.failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: HTTPConnectionError) {
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
            self.context?.flush()
        }
    }
}

@available(*, unavailable)
extension HTTPPipelineHandler: Sendable {}

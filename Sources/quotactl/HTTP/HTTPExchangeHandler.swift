import NIOCore
import NIOHTTP1

/// Writes one request as soon as the connection is active and completes a promise with the response.
///
/// Sits after NIO's HTTP client codec. The promise is failed when the connection closes early, an error reaches the
/// pipeline, or the body grows past `maximumBodyBytes`; completing it more than once is harmless (later results
/// are ignored by NIO), so the owner may also fail it on a deadline.
final class HTTPExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let head: HTTPRequestHead
    private let body: [UInt8]?
    private let maximumBodyBytes: Int
    private let promise: EventLoopPromise<HTTPResponse>
    private var responseHead: HTTPResponseHead?
    private var responseBody = ByteBuffer()

    init(head: HTTPRequestHead, body: [UInt8]?, maximumBodyBytes: Int, promise: EventLoopPromise<HTTPResponse>) {
        self.head = head
        self.body = body
        self.maximumBodyBytes = maximumBodyBytes
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        context.write(self.wrapOutboundOut(.head(self.head)), promise: nil)
        if let body = self.body {
            let buffer = context.channel.allocator.buffer(bytes: body)
            context.write(self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.responseHead = head
        case .body(var chunk):
            guard self.responseBody.readableBytes + chunk.readableBytes <= self.maximumBodyBytes else {
                self.promise.fail(HTTPClientError.responseTooLarge(limitBytes: self.maximumBodyBytes))
                context.close(promise: nil)
                return
            }
            self.responseBody.writeBuffer(&chunk)
        case .end:
            if let head = self.responseHead {
                let body = Array(self.responseBody.readableBytesView)
                self.promise.succeed(HTTPResponse(status: head.status, headers: head.headers, body: body))
            } else {
                self.promise.fail(HTTPClientError.protocolError(reason: "response ended before its head"))
            }
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.promise.fail(HTTPClientError.protocolError(reason: SystemError.describe(error)))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.promise.fail(HTTPClientError.connectionClosed)
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension HTTPExchangeHandler: Sendable {}

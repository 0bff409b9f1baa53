import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP request: a method, an already-encoded origin-form target and an optional JSON body.
struct HTTPRequest: Sendable {
    var method: HTTPMethod
    /// The path and query, percent-encoded, for example `/v1/tenants/acme%20corp/status`.
    var target: String
    var body: [UInt8]?
}

/// A complete HTTP response.
struct HTTPResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: [UInt8]
}

/// Why an HTTP exchange failed before a complete response arrived.
enum HTTPClientError: Error {
    /// The TCP connection could not be established; `reason` is human-readable.
    case connectFailed(reason: String)
    /// No complete response arrived within the deadline.
    case timedOut
    /// The server closed the connection before the response was complete.
    case connectionClosed
    /// The response body was larger than the client accepts.
    case responseTooLarge(limitBytes: Int)
    /// The response could not be parsed as HTTP/1.1, or the connection failed mid-exchange.
    case protocolError(reason: String)
}

/// A minimal HTTP/1.1 client on SwiftNIO: one request per connection, `Connection: close`, one overall deadline.
///
/// The deadline covers connecting, sending and receiving; when it passes, the connection is closed and
/// ``HTTPClientError/timedOut`` is thrown.
struct HTTPClient: Sendable {
    /// Responses larger than this are refused; the API's largest answers (event pages) are far smaller.
    static let maximumResponseBytes = 16 * 1024 * 1024

    let node: NodeURL
    let timeout: TimeAmount

    /// Sends `request` on a new connection and returns the complete response, whatever its status.
    func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let promise = eventLoop.makePromise(of: HTTPResponse.self)
        let deadline = eventLoop.scheduleTask(in: self.timeout) {
            promise.fail(HTTPClientError.timedOut)
        }

        let head = self.requestHead(for: request)
        let body = request.body
        let connected = ClientBootstrap(group: eventLoop)
            .connectTimeout(self.timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        HTTPExchangeHandler(
                            head: head,
                            body: body,
                            maximumBodyBytes: Self.maximumResponseBytes,
                            promise: promise
                        )
                    )
                }
            }
            .connect(host: self.node.host, port: self.node.port)

        connected.whenFailure { error in
            promise.fail(Self.connectError(error))
        }
        promise.futureResult.whenComplete { _ in
            deadline.cancel()
            connected.whenSuccess { channel in channel.close(promise: nil) }
        }
        return try await promise.futureResult.get()
    }

    private func requestHead(for request: HTTPRequest) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: self.node.hostHeader)
        headers.add(name: "User-Agent", value: "quotactl")
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "Connection", value: "close")
        if let body = request.body {
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(body.count))
        }
        return HTTPRequestHead(version: .http1_1, method: request.method, uri: request.target, headers: headers)
    }

    /// Turns a connect failure into a short reason such as "connection refused".
    private static func connectError(_ error: any Error) -> HTTPClientError {
        switch error {
        case ChannelError.connectTimeout:
            return .timedOut
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil {
                return .connectFailed(reason: "cannot resolve host '\(error.host)'")
            }
            let reasons = error.connectionErrors.map { SystemError.describe($0.error) }
            return .connectFailed(
                reason: reasons.isEmpty ? "no address to connect to" : reasons.joined(separator: "; ")
            )
        default:
            return .connectFailed(reason: SystemError.describe(error))
        }
    }
}

import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 connection on which many requests may be outstanding (pipelined).
final class HTTPConnection: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Opens a connection to `host:port`.
    ///
    /// - Throws: NIO's connection errors when the server cannot be reached.
    static func connect(host: String, port: Int, group: any EventLoopGroup) async throws -> HTTPConnection {
        let hostHeader = BenchConfiguration.address(host: host, port: port)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers = channel.pipeline.syncOperations
                    try handlers.addHTTPClientHandlers()
                    try handlers.addHandler(HTTPPipelineHandler(hostHeader: hostHeader))
                }
            }
            .connect(host: host, port: port)
            .get()
        return HTTPConnection(channel: channel)
    }

    /// Sends `request` and waits for its response, whatever its status.
    ///
    /// - Throws: ``HTTPConnectionError`` when the connection fails or closes before the response is complete.
    func send(_ request: HTTPExchangeRequest) async throws(HTTPConnectionError) -> HTTPExchangeResponse {
        let promise = self.channel.eventLoop.makePromise(of: HTTPExchangeResponse.self)
        self.channel.write(HTTPPipelineHandler.Outgoing(request: request, promise: promise)).whenFailure { _ in
            promise.fail(HTTPConnectionError.connectionClosed)
        }
        do {
            return try await promise.futureResult.get()
        } catch let error as HTTPConnectionError {
            throw error
        } catch {
            throw .protocolError("\(error)")
        }
    }

    /// Closes the connection; outstanding requests fail with ``HTTPConnectionError/connectionClosed``.
    func close() async {
        self.channel.close(promise: nil)
        try? await self.channel.closeFuture.get()
    }
}

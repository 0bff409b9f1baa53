import NIOCore
import NIOPosix

/// One RESP2 connection on which many commands may be outstanding; replies are matched to commands in order.
final class RESPConnection: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Opens a connection to `host:port`.
    ///
    /// - Throws: NIO's connection errors when the server cannot be reached.
    static func connect(host: String, port: Int, group: any EventLoopGroup) async throws -> RESPConnection {
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers = channel.pipeline.syncOperations
                    try handlers.addHandler(ByteToMessageHandler(RESPValueDecoder(decoder: RESPDecoder())))
                    try handlers.addHandler(RESPClientHandler())
                }
            }
            .connect(host: host, port: port)
            .get()
        return RESPConnection(channel: channel)
    }

    /// Sends a command (for example `["EVALSHA", sha, "1", key, …]`) and waits for its reply.
    ///
    /// - Returns: The reply; an error reply is a ``RESPValue/error(_:)``, not a thrown error.
    /// - Throws: ``RESPConnectionError`` when the connection fails or closes before the reply.
    func send(_ arguments: [String]) async throws(RESPConnectionError) -> RESPValue {
        let promise = self.channel.eventLoop.makePromise(of: RESPValue.self)
        self.channel.write(RESPClientHandler.Outgoing(arguments: arguments, promise: promise)).whenFailure { _ in
            promise.fail(RESPConnectionError.connectionClosed)
        }
        do {
            return try await promise.futureResult.get()
        } catch let error as RESPConnectionError {
            throw error
        } catch {
            throw .protocolError("\(error)")
        }
    }

    /// Closes the connection; outstanding commands fail with ``RESPConnectionError/connectionClosed``.
    func close() async {
        self.channel.close(promise: nil)
        try? await self.channel.closeFuture.get()
    }
}

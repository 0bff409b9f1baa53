import NIOCore
import NIOPosix
import QuotaWire

/// One TCP connection to a QuotaWire server, on which many requests may be outstanding at once.
///
/// The caller chooses each request's id: it must not be 0 (reserved for connection-level errors) nor
/// equal to the id of a request still outstanding on this client. Responses are matched to requests by id,
/// so concurrent ``send(_:)`` calls pipeline on the one connection and may complete in any order.
/// Requests sent in the same event loop tick go out in one write.
public final class WireClient: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Opens a connection.
    ///
    /// - Parameters:
    ///   - host: The server's address or host name.
    ///   - port: The server's TCP port.
    ///   - group: The event loops to run the connection on.
    ///   - maximumBodyBytes: The largest response body accepted, in bytes; a larger one closes the connection.
    /// - Returns: The connected client.
    /// - Throws: NIO's connection errors (for example `NIOConnectionError`) when the server cannot be reached.
    public static func connect(
        host: String,
        port: Int,
        group: any EventLoopGroup,
        maximumBodyBytes: UInt32 = WireFrameDecoder.defaultMaximumBodyBytes
    ) async throws -> WireClient {
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers = channel.pipeline.syncOperations
                    // A client takes no peer frames: it holds them to the same maximum as responses.
                    let decoder = WireFrameDecoder(
                        maximumBodyBytes: maximumBodyBytes,
                        maximumPeerBodyBytes: maximumBodyBytes
                    )
                    try handlers.addHandler(ByteToMessageHandler(decoder))
                    try handlers.addHandler(WireClientHandler())
                }
            }
            .connect(host: host, port: port)
            .get()
        return WireClient(channel: channel)
    }

    /// Sends a request and waits for its response.
    ///
    /// Waits until the response arrives or the connection ends, even when the calling task is cancelled:
    /// once sent, a request cannot be taken back.
    ///
    /// - Parameter request: The request; its ``WireRequest/requestID`` must be non-zero and not outstanding.
    /// - Returns: The response with the request's id: a decision, a status, or an error frame from the server.
    /// - Throws: ``WireTransportError/invalidRequestID(_:)``, ``WireTransportError/unencodableRequest(_:)``,
    ///   ``WireTransportError/malformedResponse(_:)``, ``WireTransportError/connectionRejected(code:message:)``
    ///   when the server refused the connection, or ``WireTransportError/connectionClosed`` when the connection
    ///   closed before the response arrived.
    public func send(_ request: WireRequest) async throws(WireTransportError) -> WireResponse {
        let promise = self.channel.eventLoop.makePromise(of: WireResponse.self)
        self.channel.write(WireClientHandler.Outgoing(request: request, promise: promise)).whenFailure { _ in
            promise.fail(WireTransportError.connectionClosed)
        }
        do {
            return try await promise.futureResult.get()
        } catch let error as WireTransportError {
            throw error
        } catch {
            throw .connectionClosed
        }
    }

    /// Closes the connection; outstanding sends fail with ``WireTransportError/connectionClosed``.
    /// Calling it again does nothing more.
    ///
    /// - Throws: Nothing in practice; declared `throws` for errors NIO may report while closing.
    public func close() async throws {
        self.channel.close(promise: nil)
        try await self.channel.closeFuture.get()
    }
}

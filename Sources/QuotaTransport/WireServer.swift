import Logging
import NIOCore
import NIOPosix
import QuotaWire
import Synchronization

/// A TCP listener that speaks QuotaWire: it cuts each connection's bytes into frames, hands requests to a
/// ``WireRequestHandler`` and writes its answers, many requests outstanding per connection.
///
/// Per connection: a request whose body is malformed is answered with a `bad_frame` error frame carrying its
/// request id, and the connection goes on. A framing error (bad magic, version, kind or flags, or a body over
/// `maximumBodyBytes`) is answered with one error frame with request id 0 (`payload_too_large` or `bad_frame`),
/// then the connection is closed. At `maximumOutstandingRequests` unanswered requests the server stops reading
/// from the connection until answers go out, so a client cannot make it hold an unbounded number.
///
/// Peer frames (kind `peer`, which cluster members send each other on the same port) go to the
/// ``PeerFrameHandler`` when one is given, unanswered and not counted as outstanding requests, with bodies of up
/// to `maximumPeerBodyBytes`. Without one, a peer frame is refused like a kind the server does not know: one
/// `bad_frame` error frame with request id 0, then the connection is closed.
public final class WireServer: Sendable {
    /// How many unanswered requests a connection may have before the server stops reading from it: 1024.
    public static let defaultMaximumOutstandingRequests = 1024

    private enum Phase {
        case idle
        case starting
        case listening(any Channel)
        case closed
    }

    private struct State {
        var phase = Phase.idle
        var connections: [ObjectIdentifier: any Channel] = [:]
    }

    private let group: any EventLoopGroup
    private let handler: any WireRequestHandler
    private let peerHandler: (any PeerFrameHandler)?
    private let maximumBodyBytes: UInt32
    private let maximumPeerBodyBytes: UInt32
    private let maximumOutstandingRequests: Int
    private let logger: Logger
    private let state = Mutex(State())

    /// Creates a server; it listens once ``start(host:port:)`` is called.
    ///
    /// - Parameters:
    ///   - group: The event loops that run the listener and the connections.
    ///   - handler: Answers the requests.
    ///   - peerHandler: Takes the peer frames; `nil` (the default) refuses them. Set it only on a cluster
    ///     member, and keep its port on a private network: peer frames are not authenticated.
    ///   - maximumBodyBytes: The largest body of a request frame accepted, in bytes; a larger one closes the
    ///     connection.
    ///   - maximumPeerBodyBytes: The largest body of a peer frame accepted, in bytes, when `peerHandler` is set;
    ///     a larger one closes the connection. Without a peer handler, `maximumBodyBytes` applies to peer frames.
    ///   - maximumOutstandingRequests: How many unanswered requests one connection may have before the server
    ///     stops reading from it; at least 1.
    ///   - logger: Receives connection errors, at debug level, and responses that cannot be encoded, at error level.
    public init(
        group: any EventLoopGroup,
        handler: any WireRequestHandler,
        peerHandler: (any PeerFrameHandler)? = nil,
        maximumBodyBytes: UInt32 = WireFrameDecoder.defaultMaximumBodyBytes,
        maximumPeerBodyBytes: UInt32 = WireFrameDecoder.defaultMaximumPeerBodyBytes,
        maximumOutstandingRequests: Int = WireServer.defaultMaximumOutstandingRequests,
        logger: Logger
    ) {
        precondition(maximumOutstandingRequests > 0, "maximumOutstandingRequests must be at least 1")
        self.group = group
        self.handler = handler
        self.peerHandler = peerHandler
        self.maximumBodyBytes = maximumBodyBytes
        // A server that refuses peer frames must not buffer a long body first.
        self.maximumPeerBodyBytes = peerHandler == nil ? maximumBodyBytes : maximumPeerBodyBytes
        self.maximumOutstandingRequests = maximumOutstandingRequests
        self.logger = logger
    }

    /// Binds the listener and starts accepting connections.
    ///
    /// - Parameters:
    ///   - host: The address to bind, for example `127.0.0.1` or `0.0.0.0`.
    ///   - port: The TCP port; 0 lets the operating system choose.
    /// - Returns: The port bound.
    /// - Throws: ``WireTransportError/serverAlreadyStarted`` on a second call, ``WireTransportError/serverClosed``
    ///   when ``close()`` came first or while binding, and NIO's `IOError` or `SocketAddressError` when the
    ///   address cannot be bound.
    public func start(host: String, port: Int) async throws -> Int {
        try self.state.withLock { state throws(WireTransportError) in
            switch state.phase {
            case .idle: state.phase = .starting
            case .starting, .listening: throw .serverAlreadyStarted
            case .closed: throw .serverClosed
            }
        }
        let listener: any Channel
        do {
            listener = try await ServerBootstrap(group: self.group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try self.setUpConnection(channel) }
                }
                .bind(host: host, port: port)
                .get()
        } catch {
            self.state.withLock { state in
                if case .starting = state.phase { state.phase = .idle }
            }
            throw error
        }
        let closedMeanwhile = self.state.withLock { state in
            guard case .starting = state.phase else { return true }
            state.phase = .listening(listener)
            return false
        }
        guard !closedMeanwhile else {
            try await Self.close(listener)
            throw WireTransportError.serverClosed
        }
        let boundPort = listener.localAddress?.port ?? port  // a bound TCP socket always has its address
        self.logger.info("listening for QuotaWire connections", metadata: ["host": "\(host)", "port": "\(boundPort)"])
        return boundPort
    }

    /// Stops accepting connections and closes every open one; answers not yet sent are dropped.
    ///
    /// Calling it again, or before ``start(host:port:)``, does nothing more; a later `start` fails.
    ///
    /// - Throws: Nothing in practice; declared `throws` for errors NIO may report while closing.
    public func close() async throws {
        let (listener, connections) = self.state.withLock { state in
            let listener: (any Channel)?
            if case .listening(let channel) = state.phase { listener = channel } else { listener = nil }
            state.phase = .closed
            defer { state.connections = [:] }
            return (listener, Array(state.connections.values))
        }
        if let listener { try await Self.close(listener) }
        for connection in connections { try await Self.close(connection) }
    }

    /// Adds the QuotaWire handlers to an accepted connection and tracks it until it closes.
    ///
    /// A connection can be accepted as soon as the socket listens, before ``start(host:port:)`` has recorded the
    /// listener (phase `starting`); it is kept like any other, and ``close()`` closes it too.
    private func setUpConnection(_ channel: any Channel) throws {
        let id = ObjectIdentifier(channel)
        try self.state.withLock { state throws(WireTransportError) in
            switch state.phase {
            case .starting, .listening: state.connections[id] = channel
            case .idle, .closed: throw .serverClosed
            }
        }
        channel.closeFuture.whenComplete { _ in
            _ = self.state.withLock { $0.connections.removeValue(forKey: id) }
        }
        var logger = self.logger
        logger[metadataKey: "peer"] = "\(channel.remoteAddress.map { "\($0)" } ?? "unknown")"
        let handlers = channel.pipeline.syncOperations
        try handlers.addHandler(
            WireServerHandler(
                decoder: WireFrameDecoder(
                    maximumBodyBytes: self.maximumBodyBytes,
                    maximumPeerBodyBytes: self.maximumPeerBodyBytes
                ),
                requestHandler: self.handler,
                peerHandler: self.peerHandler,
                maximumOutstanding: self.maximumOutstandingRequests,
                logger: logger
            )
        )
    }

    /// Closes `channel` and waits until it is closed, whoever closed it first.
    private static func close(_ channel: any Channel) async throws {
        channel.close(promise: nil)
        try await channel.closeFuture.get()
    }
}

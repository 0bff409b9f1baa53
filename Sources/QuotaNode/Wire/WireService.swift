import Logging
import NIOCore
import NIOPosix
import QuotaTransport
import ServiceLifecycle

/// The binary-protocol listener as a service: listens until graceful shutdown, then closes.
public struct WireService: Service {
    private let engine: QuotaEngine
    private let host: String
    private let port: Int
    private let peers: (any PeerFrameHandler)?
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void

    /// Creates the listener of `engine` on `host:port` (port 0 lets the OS choose; `onListening` gets the bound
    /// port). `peers` takes the frames other cluster members send; without it peer frames are refused.
    public init(
        engine: QuotaEngine,
        host: String,
        port: Int,
        peers: (any PeerFrameHandler)? = nil,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.engine = engine
        self.host = host
        self.port = port
        self.peers = peers
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let server = WireServer(
            group: MultiThreadedEventLoopGroup.singleton,
            handler: WireQuotaHandler(engine: self.engine),
            peerHandler: self.peers,
            logger: self.logger
        )
        let bound = try await server.start(host: self.host, port: self.port)
        await self.onListening(bound)
        try? await gracefulShutdown()
        try await server.close()
    }
}

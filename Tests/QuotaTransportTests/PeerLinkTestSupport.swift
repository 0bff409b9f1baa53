import NIOCore
import NIOPosix
import QuotaTransport
import QuotaWire
import Synchronization

/// Records what a ``PeerLink`` reports through `onConnectionChange`.
final class ConnectionChanges: Sendable {
    private let changes = Mutex<[Bool]>([])

    func record(_ isConnected: Bool) {
        self.changes.withLock { $0.append(isConnected) }
    }

    var all: [Bool] { self.changes.withLock { $0 } }
}

/// Runs `body` with a started ``PeerLink`` to `port` on 127.0.0.1 whose changes are recorded, and shuts it down
/// afterwards.
func withLink<Result>(
    port: Int,
    _ body: (PeerLink, ConnectionChanges) async throws -> Result
) async throws -> Result {
    let changes = ConnectionChanges()
    let link = PeerLink(host: "127.0.0.1", port: port, group: MultiThreadedEventLoopGroup.singleton) {
        changes.record($0)
    }
    link.start()
    do {
        let result = try await body(link, changes)
        await link.shutdown()
        return result
    } catch {
        await link.shutdown()
        throw error
    }
}

/// Starts `server` on 127.0.0.1 at a random free port below the system's ephemeral range, for tests that leave a
/// port unbound for a while and bind it again.
///
/// A port the system chose for `bind(port: 0)` would be in the ephemeral range, where, once released, the next
/// OS-chosen port or outgoing connection of a test running alongside may take it: a link would then connect to
/// another test's server. Below 32 768 (the start of the range on Linux; macOS starts at 49 152), only a test
/// that names the port binds it. A candidate already in use is skipped.
func startBelowEphemeralRange(_ server: WireServer) async throws -> Int {
    var generator = SystemRandomNumberGenerator()
    var lastError: (any Error)?
    for _ in 0..<100 {
        do {
            return try await server.start(host: "127.0.0.1", port: Int.random(in: 20_000..<32_768, using: &generator))
        } catch let error as IOError {
            lastError = error  // in use: try another
        }
    }
    throw lastError!
}

/// A TCP port on 127.0.0.1 that nothing listens on (it was bound, then released), below the ephemeral range
/// (see ``startBelowEphemeralRange(_:)``).
func unusedPort() async throws -> Int {
    let server = makePeerServer()
    let port = try await startBelowEphemeralRange(server)
    try await server.close()
    return port
}

/// A listener that accepts connections but reads nothing from them until ``startReading()``; then it hands the
/// peer frames they carry to ``received``.
final class StalledPeer: Sendable {
    /// Decodes the peer frames of one connection into a ``RecordingPeerHandler``.
    private final class Recorder: ChannelInboundHandler, Sendable {
        typealias InboundIn = WireFrame
        let handler: RecordingPeerHandler

        init(handler: RecordingPeerHandler) {
            self.handler = handler
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if let body = try? WireCodec.decodePeerFrame(Self.unwrapInboundIn(data)) { self.handler.received([body]) }
        }
    }

    /// The connections accepted so far.
    private final class Accepted: Sendable {
        let channels = Mutex<[any Channel]>([])
    }

    let received: RecordingPeerHandler
    let port: Int
    private let listener: any Channel
    private let connections: Accepted

    private init(listener: any Channel, connections: Accepted, received: RecordingPeerHandler) {
        self.listener = listener
        self.port = listener.localAddress?.port ?? 0
        self.connections = connections
        self.received = received
    }

    static func start() async throws -> StalledPeer {
        let received = RecordingPeerHandler()
        let accepted = Accepted()
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { channel in
                accepted.channels.withLock { $0.append(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    let handlers = channel.pipeline.syncOperations
                    try handlers.addHandler(ByteToMessageHandler(WireFrameDecoder()))
                    try handlers.addHandler(Recorder(handler: received))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return StalledPeer(listener: listener, connections: accepted, received: received)
    }

    /// How many connections were accepted so far.
    var acceptedCount: Int { self.connections.channels.withLock { $0.count } }

    /// Starts reading every connection accepted so far.
    func startReading() {
        for connection in self.connections.channels.withLock({ $0 }) {
            connection.setOption(.autoRead, value: true).whenFailure { _ in }
        }
    }

    func close() async throws {
        for connection in self.connections.channels.withLock({ $0 }) { try? await connection.close() }
        try await self.listener.close()
    }
}

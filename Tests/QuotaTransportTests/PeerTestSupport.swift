import Logging
import NIOCore
import NIOPosix
import QuotaTransport
import QuotaWire
import Synchronization

/// Records every peer message a server receives.
final class RecordingPeerHandler: PeerFrameHandler {
    private let bodies = Mutex<[ByteBuffer]>([])

    func received(_ bodies: [ByteBuffer]) {
        self.bodies.withLock { $0 += bodies }
    }

    /// The messages received so far, in order.
    var received: [ByteBuffer] { self.bodies.withLock { $0 } }

    /// The messages received so far, as strings.
    var strings: [String] { self.received.map { String(buffer: $0) } }

    var count: Int { self.bodies.withLock { $0.count } }
}

/// A condition that did not come true in time.
struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting until \(self.what)" }
}

/// Polls `condition` every few milliseconds until it holds, or throws ``TimedOut`` after `limit`, saying `what` was
/// awaited and what was `seen` instead.
func waitUntil(
    _ what: String,
    within limit: Duration = .seconds(10),
    seen: @autoclosure () -> String = "",
    _ condition: () -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while !condition() {
        guard ContinuousClock.now < deadline else { throw TimedOut(what: "\(what); seen: \(seen())") }
        try await Task.sleep(for: .milliseconds(2))
    }
}

/// A server on 127.0.0.1 that hands peer frames to a ``RecordingPeerHandler`` and answers requests like ``EchoHandler``.
func makePeerServer(
    peerHandler: (any PeerFrameHandler)? = RecordingPeerHandler(),
    handler: any WireRequestHandler = EchoHandler(),
    maximumBodyBytes: UInt32 = WireFrameDecoder.defaultMaximumBodyBytes,
    maximumPeerBodyBytes: UInt32 = WireFrameDecoder.defaultMaximumPeerBodyBytes,
    maximumOutstandingRequests: Int = WireServer.defaultMaximumOutstandingRequests
) -> WireServer {
    WireServer(
        group: MultiThreadedEventLoopGroup.singleton,
        handler: handler,
        peerHandler: peerHandler,
        maximumBodyBytes: maximumBodyBytes,
        maximumPeerBodyBytes: maximumPeerBodyBytes,
        maximumOutstandingRequests: maximumOutstandingRequests,
        logger: Logger(label: "QuotaTransportTests")
    )
}

/// Runs `body` with a server that takes peer frames, on an OS-chosen port, and closes the server afterwards.
func withPeerServer<Result>(
    peerHandler: any PeerFrameHandler,
    handler: any WireRequestHandler = EchoHandler(),
    maximumPeerBodyBytes: UInt32 = WireFrameDecoder.defaultMaximumPeerBodyBytes,
    maximumOutstandingRequests: Int = WireServer.defaultMaximumOutstandingRequests,
    _ body: (_ port: Int) async throws -> Result
) async throws -> Result {
    let server = makePeerServer(
        peerHandler: peerHandler,
        handler: handler,
        maximumPeerBodyBytes: maximumPeerBodyBytes,
        maximumOutstandingRequests: maximumOutstandingRequests
    )
    let port = try await server.start(host: "127.0.0.1", port: 0)
    do {
        let result = try await body(port)
        try await server.close()
        return result
    } catch {
        try await server.close()
        throw error
    }
}

/// The bytes of one peer frame.
func bytes(ofPeerFrame body: [UInt8], requestID: UInt64 = 0) throws -> [UInt8] {
    var buffer = ByteBuffer()
    try WireCodec.encodePeerFrame(body: ByteBuffer(bytes: body), into: &buffer)
    buffer.setInteger(requestID, at: 6)
    return Array(buffer.readableBytesView)
}

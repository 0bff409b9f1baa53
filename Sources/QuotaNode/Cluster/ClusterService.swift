import Logging
import NIOCore
import NIOPosix
import QuotaCluster
import QuotaTransport
import QuotaWire
import ServiceLifecycle

/// The runtime of the cluster protocol: one outbound ``QuotaTransport/PeerLink`` per peer, the handler of
/// inbound peer frames (given to the binary listener), and the timer that ticks the cluster core.
///
/// On a single node it does nothing but wait for shutdown.
public final class ClusterService: Service, Sendable {
    /// How often the cluster core's timer fires.
    public static let tickInterval: Duration = .milliseconds(20)

    private let engine: QuotaEngine
    private let logger: Logger
    private let links: [NodeID: PeerLink]
    /// The handler of peer frames for the binary listener; `nil` on a single node.
    public let inbound: (any PeerFrameHandler)?
    /// Resolved once the binary listener is bound (``listenerReady()``).
    private let ready: AsyncStream<Void>
    private let readyContinuation: AsyncStream<Void>.Continuation

    /// Creates the cluster runtime of `engine`, with links to every other member of its configuration.
    public init(engine: QuotaEngine, logger: Logger, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton)
    {
        self.engine = engine
        self.logger = logger
        var links: [NodeID: PeerLink] = [:]
        for member in engine.configuration.members where member.id.rawValue != engine.nodeID {
            let id = member.id
            links[id] = PeerLink(host: member.host, port: member.port, group: group, logger: logger) { up in
                engine.peerConnectionChanged(id, up: up)
            }
        }
        self.links = links
        self.inbound = engine.isClustered ? PeerInbound(engine: engine, logger: logger) : nil
        (self.ready, self.readyContinuation) = AsyncStream.makeStream(of: Void.self)
    }

    /// Tells the service that the binary listener is bound. Until then the node stays silent: a second
    /// process started by mistake with a member's id fails to bind and exits before any peer hears from it
    /// (its new incarnation would make the peers drop the real member).
    public func listenerReady() {
        self.readyContinuation.yield()
        self.readyContinuation.finish()
    }

    public func run() async throws {
        guard self.engine.isClustered, let sender = try? NodeID(self.engine.nodeID) else {
            try? await gracefulShutdown()
            return
        }
        let listening = await cancelWhenGracefulShutdown {
            for await _ in self.ready { return true }
            return false
        }
        guard listening else { return }
        let links = self.links
        let logger = self.logger
        let fingerprint = self.engine.membershipFingerprint
        self.engine.attachPeers { peer, message in
            guard let link = links[peer] else { return }
            do {
                let envelope = PeerEnvelope(from: sender, members: fingerprint, message: message)
                // Request-path messages are written straight into the link's outbox; the rest go through JSON.
                if let tag = PeerBinaryTag(covering: message) {
                    try link.send { (body: inout ByteBuffer) throws(WireError) in
                        try PeerCodec.writeBinary(envelope, tag: tag, into: &body)
                    }
                } else {
                    link.send(try PeerCodec.encode(envelope))
                }
            } catch {
                logger.error("could not encode a peer message", metadata: ["error": "\(error)"])
            }
        }
        for peer in links.keys.sorted() { links[peer]?.start() }
        await cancelWhenGracefulShutdown {
            var reporter = ClusterChangeLog(logger: logger)
            var ticks = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.tickInterval)
                self.engine.deliver(.tick)
                ticks += 1
                if ticks % 5 == 0 { reporter.record(self.engine.clusterStatus()) }
            }
        }
        for peer in links.keys.sorted() { await links[peer]?.shutdown() }
    }
}

/// Hands the peer frames the binary listener reads to the engine, those of one read together.
struct PeerInbound: PeerFrameHandler {
    let engine: QuotaEngine
    let logger: Logger

    func received(_ bodies: [ByteBuffer]) {
        var messages: [(message: PeerMessage, from: NodeID)] = []
        messages.reserveCapacity(bodies.count)
        for body in bodies {
            do {
                let envelope = try PeerCodec.decode(body)
                if envelope.members != self.engine.membershipFingerprint {
                    guard case .heartbeat = envelope.message else { continue }
                }
                messages.append((envelope.message, envelope.from))
            } catch {
                self.logger.warning("dropped an invalid peer message", metadata: ["error": "\(error)"])
            }
        }
        if !messages.isEmpty { self.engine.received(messages) }
    }
}

/// Logs this node's view of the cluster whenever it changes: member states (at notice level when a member is
/// suspected, restarted or has another member list) and the shards it owns, follows and moves.
struct ClusterChangeLog {
    let logger: Logger
    private var members: [String] = []
    private var shards: String = ""

    init(logger: Logger) { self.logger = logger }

    mutating func record(_ status: ClusterStatus) {
        let members = status.members.filter { !$0.isSelf }.map { "\($0.id)=\($0.state)#\($0.incarnation)" }
        if members != self.members {
            let worrying = status.members.contains { $0.state == "suspected" || $0.state == "other_member_list" }
            self.logger.log(
                level: worrying ? .notice : .info,
                "cluster members changed",
                metadata: ["members": "\(members.joined(separator: " "))"]
            )
            self.members = members
        }
        let shards =
            "owned=\(status.ownedCount) followed=\(status.followedCount) moving=\(status.movingCount) highest_epoch=\(status.highestEpoch)"
        if shards != self.shards {
            self.logger.info("shards changed", metadata: ["shards": "\(shards)"])
            self.shards = shards
        }
    }
}

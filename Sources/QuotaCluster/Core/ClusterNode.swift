import DequeModule
import QuotaCore

/// One member's cluster state machine: sharding, forwarding, replication, leases, failover, rejoin and
/// hand-off, around the member's ``QuotaCore/QuotaLedger``.
///
/// Sans-IO: ``handle(_:now:into:)`` takes an input with the current time and appends outputs (messages to
/// send, replies, snapshot reads) for the runtime to carry out. It reads no clock, socket, random source or
/// file, and never lets the iteration order of a `Dictionary` or `Set` decide anything, so the simulator
/// drives the very same code deterministically. docs/cluster.md describes the protocol and its safety.
public struct ClusterNode: Sendable {
    /// The configuration.
    public let configuration: ClusterConfiguration
    /// This process's incarnation: greater than that of every earlier start of the node.
    public let incarnation: UInt64
    /// The quota state of every tenant this node owns or follows (and stale state loaded from disk).
    public internal(set) var ledger: QuotaLedger
    var shards: [ShardState]
    /// Each shard's preference list (every member, clockwise from the shard's virtual node).
    let preferences: [[NodeID]]
    var peers: MemberMap<PeerState> = [:]
    var links: MemberMap<ReplicationLink> = [:]
    var inbound: MemberMap<InboundLink> = [:]
    var waiters: MemberMap<Deque<Waiter>> = [:]
    var forwards: [UInt64: PendingForward] = [:]
    var collections: [UInt64: PendingCollection] = [:]
    var gathers: [UInt64: PendingGather] = [:]
    var nextForwardID: UInt64 = 1
    var nextCollectionID: UInt64 = 1
    var nextHeartbeat: Int64 = .min
    var nextReport: Int64 = .min
    var reportsDirty = false

    /// Creates the state machine of a freshly started process.
    ///
    /// A single-member cluster owns every shard at once; otherwise the node holds no live role until it
    /// gains one from its peers (a snapshot, a hand-off) or by a cold start of the whole cluster.
    ///
    /// - Parameters:
    ///   - incarnation: the number of this start, from storage (greater than every earlier one).
    ///   - ledger: the quota state recovered from storage.
    public init(configuration: ClusterConfiguration, incarnation: UInt64, ledger: QuotaLedger) {
        self.configuration = configuration
        self.incarnation = incarnation
        self.ledger = ledger
        let count = configuration.ring.shards.count
        self.preferences = (0..<count).map {
            configuration.ring.replicas(ofShard: $0, count: configuration.ring.members.count)
        }
        if configuration.peers.isEmpty {
            var state = ShardState()
            state.assignment = ShardAssignment(epoch: 1, owner: configuration.nodeID, follower: nil)
            state.role = .owner
            state.followerSynced = true
            self.shards = Array(repeating: state, count: count)
        } else {
            self.shards = Array(repeating: ShardState(), count: count)
        }
        for peer in configuration.peers { self.peers[peer] = PeerState() }
    }

    /// This node's id.
    public var nodeID: NodeID { self.configuration.nodeID }

    /// Handles one input at `now`, appending what the runtime must do to `outputs`.
    public mutating func handle(_ input: ClusterInput, now: ClusterTime, into outputs: inout [ClusterOutput]) {
        switch input {
        case .request(let token, let operation):
            self.receive(operation, from: .client(token), forwarded: false, now: now, into: &outputs)
        case .message(let peer, let message):
            guard self.peers.contains(peer) else { return }
            self.receive(message, from: peer, now: now, into: &outputs)
        case .tick:
            self.tick(now: now, into: &outputs)
        case .connectionChanged(let peer, let up):
            self.connectionChanged(peer, up: up, now: now, into: &outputs)
        case .snapshotCollected(let id, let events):
            self.snapshotCollected(id: id, events: events, into: &outputs)
        case .flushOutbound:
            self.flushOutbound(now: now, into: &outputs)
        }
    }

    // MARK: Peer messages

    mutating func receive(
        _ message: PeerMessage,
        from peer: NodeID,
        now: ClusterTime,
        into outputs: inout [ClusterOutput]
    ) {
        switch message {
        case .heartbeat(let heartbeat):
            self.heartbeat(heartbeat, from: peer, now: now, into: &outputs)
        case .heartbeatAck(let ack):
            self.heartbeatAck(ack, from: peer, now: now)
        case .report(let reports):
            self.reports(reports, from: peer, now: now, into: &outputs)
        case .replicate(let replication):
            self.replicate(replication, from: peer, now: now, into: &outputs)
        case .replicateAck(let ack):
            self.replicateAck(ack, from: peer, now: now, into: &outputs)
        case .snapshot(let offer):
            self.snapshotOffer(offer, from: peer, now: now, into: &outputs)
        case .snapshotAck(let ack):
            self.snapshotAck(ack, from: peer, now: now, into: &outputs)
        case .transfer(let shard):
            self.transfer(shard, from: peer, now: now, into: &outputs)
        case .transferAck(let ack):
            self.transferAck(ack, from: peer, now: now, into: &outputs)
        case .gather(let request):
            self.gatherRequested(request, by: peer, into: &outputs)
        case .gatherReply(let reply):
            self.gatherReplied(reply, from: peer, now: now, into: &outputs)
        case .forward(let request):
            guard self.peers[peer]?.incarnation == request.incarnation,
                self.peers[peer]?.firstForward(request.id) == true
            else { return }
            self.receive(request.operation, from: .peer(peer, request.id), forwarded: true, now: now, into: &outputs)
        case .forwardReply(let reply):
            guard let pending = self.forwards.removeValue(forKey: reply.id), pending.owner == peer else { return }
            outputs.append(.reply(pending.token, reply.reply))
        }
    }

    // MARK: Answers

    /// Sends `reply` where `target` says.
    func answer(_ target: ReplyTarget, _ reply: ClusterReply, into outputs: inout [ClusterOutput]) {
        switch target {
        case .client(let token): outputs.append(.reply(token, reply))
        case .peer(let peer, let id):
            outputs.append(.send(to: peer, .forwardReply(ForwardedReply(id: id, reply: reply))))
        }
    }

    /// An `unavailable` reply from this node.
    func unavailable(_ message: String) -> ClusterReply {
        ClusterReply(.failure(QuotaError(.unavailable, message)), servedBy: self.nodeID)
    }
}

extension ClusterNode {
    /// Moves every pending change into one batch for storage; see ``QuotaCore/QuotaLedger/takeFlushBatch()``.
    public mutating func takeFlushBatch() -> FlushBatch? { self.ledger.takeFlushBatch() }

    /// Storage wrote the in-flight batch.
    public mutating func flushSucceeded() { self.ledger.flushSucceeded() }

    /// Storage failed to write the in-flight batch; it is retried with the next one.
    public mutating func flushFailed() { self.ledger.flushFailed() }

    /// Changes waiting for the next write-behind batch.
    public var pendingWriteCount: Int { self.ledger.writeBehind.pendingCount }

    /// Changes not yet confirmed by storage (pending and in flight).
    public var unflushedWriteCount: Int { self.ledger.writeBehind.unflushedCount }
}

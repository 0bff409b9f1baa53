import DequeModule
import Logging
import NIOCore
import NIOPosix
import QuotaCluster
import QuotaCore
import Synchronization

/// A node's state machine in memory — the ``QuotaCluster/ClusterNode`` around the quota ledger — shared by
/// the HTTP and binary APIs, the peer transport, the cluster ticker and the write-behind flusher.
///
/// Every input runs synchronously under one lock (memory only, no I/O); the outputs — replies, messages to
/// peers, snapshot reads — are carried out after the lock is released. A single node is a cluster of one
/// member: it owns every shard and answers at once.
public final class QuotaEngine: Sendable {
    /// The settings this engine runs with.
    public let configuration: NodeConfiguration
    /// The current time, UTC milliseconds; the system clock in production.
    public let clock: @Sendable () -> Timestamp
    /// A monotonic clock in milliseconds, for the cluster protocol's leases and deadlines.
    let monotonic: @Sendable () -> Int64
    let store: any QuotaStore
    /// The fingerprint of this node's member list (``QuotaCluster/ClusterConfiguration/membershipFingerprint``).
    public let membershipFingerprint: UInt64
    let state: Mutex<EngineState>
    let trigger = FlushTrigger()
    /// Whether a send of what requests queued for followers is scheduled.
    let outboundFlushScheduled = Atomic(false)
    /// Storage writes that failed in a row since the last success; 0 while storage is healthy.
    let consecutiveFlushFailures = Mutex(0)
    let logger: Logger
    /// Serialises drains of the write-behind buffer.
    let writer = WriteBehindWriter()

    /// Opens a node's state: starts a new incarnation in `store` and loads limits, current usage and
    /// idempotency keys from it.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/invalidArgument`` for an invalid cluster configuration, and
    ///   whatever the store throws while loading.
    public init(
        configuration: NodeConfiguration,
        store: any QuotaStore,
        clock: @escaping @Sendable () -> Timestamp = SystemClock.now,
        monotonic: @escaping @Sendable () -> Int64 = SystemClock.monotonicMilliseconds,
        logger: Logger = Logger(label: "quotad.engine")
    ) async throws {
        let cluster = try configuration.clusterConfiguration()
        self.configuration = configuration
        self.membershipFingerprint = cluster.membershipFingerprint
        self.store = store
        self.clock = clock
        self.monotonic = monotonic
        self.logger = logger
        let now = clock()
        let incarnation = try await store.beginIncarnation()
        let since = now.adding(milliseconds: -configuration.ledger.idempotencyRetentionMilliseconds)
        let recovered = try await store.recover(now: now, idempotencySince: since)
        let ledger = QuotaLedger(
            configuration: configuration.ledger,
            eventIDPrefix: "\(configuration.nodeID)-\(incarnation)",
            recovered: recovered,
            now: now
        )
        self.state = Mutex(
            EngineState(node: ClusterNode(configuration: cluster, incarnation: UInt64(incarnation), ledger: ledger))
        )
        logger.info(
            "recovered state",
            metadata: [
                "incarnation": "\(incarnation)", "limits": "\(recovered.limits.count)",
                "records": "\(recovered.records.count)", "idempotency_keys": "\(recovered.idempotency.count)",
                "members": "\(cluster.ring.members.count)",
            ]
        )
    }

    /// The id of this node, reported as `served_by`.
    public var nodeID: String { self.configuration.nodeID }

    /// Whether this node has peers.
    public var isClustered: Bool { !self.configuration.members.isEmpty }

    // MARK: Requests

    /// Runs a client request; `respond` is called exactly once, at once or when the follower acknowledged
    /// (or the forwarded owner answered, or a deadline passed).
    public func submit(_ operation: ClusterOperation, respond: @escaping @Sendable (ClusterReply) -> Void) {
        self.submit([operation]) { _, reply in respond(reply) }
    }

    /// Runs client requests in order under one lock (the requests of one read from a connection, say);
    /// `respond` is called exactly once per request, with the request's index in `operations`, at once or when
    /// the follower acknowledged (or the forwarded owner answered, or a deadline passed). Replies may come in any
    /// order and from any thread.
    public func submit(_ operations: [ClusterOperation], respond: @escaping @Sendable (Int, ClusterReply) -> Void) {
        guard !operations.isEmpty else { return }
        self.run(expectedOutputs: operations.count, respond) { state, now, outputs in
            let first = state.nextToken
            state.nextToken += UInt64(operations.count)
            for (offset, operation) in operations.enumerated() {
                state.node.handle(.request(ClientToken(first + UInt64(offset)), operation), now: now, into: &outputs)
            }
            return (self.isClustered, first..<state.nextToken)
        }
    }

    /// Runs a client request and waits for its reply.
    public func execute(_ operation: ClusterOperation) async -> ClusterReply {
        await withCheckedContinuation { continuation in
            self.submit(operation) { continuation.resume(returning: $0) }
        }
    }

    /// Hands the cluster core an input from the runtime (a peer message, a connection change, the timer).
    public func deliver(_ input: ClusterInput) {
        let mayQueueChanges: Bool
        if case .message = input { mayQueueChanges = self.isClustered } else { mayQueueChanges = false }
        self.run(nil) { state, now, outputs in
            state.node.handle(input, now: now, into: &outputs)
            return (mayQueueChanges, 0..<0)
        }
    }

    /// The transport's connection to `peer` came up or went down. While the peer is isolated
    /// (``setIsolated(_:_:)``) the cluster core sees it down whatever the transport says.
    public func peerConnectionChanged(_ peer: NodeID, up: Bool) {
        let isolated = self.state.withLock { state in
            state.peerLinks.up[peer] = up
            return state.peerLinks.isIsolated(peer)
        }
        if !isolated { self.deliver(.connectionChanged(peer, up: up)) }
    }

    /// Cuts (or restores) this node's traffic with `peer` in both directions, as a network partition would:
    /// messages to it are dropped, messages from it are ignored, and the cluster core sees the connection
    /// down. For failure drills and tests; `PUT`/`DELETE /v1/admin/isolation/{peer}` call it.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/invalidArgument`` when `peer` is not another member.
    public func setIsolated(_ peer: NodeID, _ isolated: Bool) throws {
        guard self.configuration.members.contains(where: { $0.id == peer }), peer.rawValue != self.nodeID else {
            throw QuotaError.invalidArgument("'\(peer)' is not another member of this cluster")
        }
        let up = self.state.withLock { state in
            if isolated { state.peerLinks.isolated.insert(peer) } else { state.peerLinks.isolated.remove(peer) }
            return state.peerLinks.up[peer] ?? false
        }
        self.deliver(.connectionChanged(peer, up: !isolated && up))
    }

    /// The members this node is isolated from, sorted.
    public var isolatedPeers: [NodeID] { self.state.withLock { $0.peerLinks.isolated.sorted() } }

    /// Hands messages from peers to the cluster core under one lock, in order, except those from isolated peers.
    func received(_ messages: [(message: PeerMessage, from: NodeID)]) {
        self.run(nil) { state, now, outputs in
            for (message, peer) in messages where !state.peerLinks.isIsolated(peer) {
                state.node.handle(.message(from: peer, message), now: now, into: &outputs)
            }
            return (self.isClustered, 0..<0)
        }
    }

    /// Connects the engine to the peer transport: `send` carries a message to a member.
    public func attachPeers(_ send: @escaping @Sendable (NodeID, PeerMessage) -> Void) {
        let sender = PeerSender(send)
        self.state.withLock { $0.peerSender = sender }
    }

    /// This node's view of the cluster.
    public func clusterStatus() -> ClusterStatus {
        let now = self.now()
        return self.state.withLock { $0.node.status(now: now) }
    }

    /// The shard of `tenant` as this node sees it.
    public func shard(of tenant: TenantID) -> ClusterStatus.Shard {
        let now = self.now()
        return self.state.withLock { $0.node.shard(of: tenant, now: now) }
    }

    func now() -> ClusterTime { ClusterTime(wall: self.clock(), monotonic: self.monotonic()) }

    /// Runs inputs (made under the lock by `handle`, which returns the client tokens it used) through the cluster
    /// core, then — outside the lock — answers the replies and carries out the other outputs. `respond` is kept
    /// for later, per token, only for the requests the core does not answer at once.
    ///
    /// `expectedOutputs` sizes the outputs' array up front: a client request makes at least its reply.
    private func run(
        expectedOutputs: Int = 0,
        _ respond: (@Sendable (Int, ClusterReply) -> Void)?,
        _ handle: (inout EngineState, ClusterTime, inout [ClusterOutput]) -> (
            flushOutbound: Bool, tokens: Range<UInt64>
        )
    ) {
        let now = self.now()
        // Messages are handed to the peer links while the lock is held, so that each link sends them in the
        // order the cluster core made them: a replication message sent after a later one would reach the
        // follower past a gap and wait for the resend.
        var (answers, collections, pending, flushOutbound) = self.state.withLock { state in
            var outputs: [ClusterOutput] = []
            outputs.reserveCapacity(expectedOutputs)
            let (flush, tokens) = handle(&state, now, &outputs)
            // A deque, so that the answers are moved out front first without reversing them.
            var answers = Deque<(Responder, ClusterReply)>(minimumCapacity: outputs.count)
            var collections: [SnapshotCollection] = []
            // Whether each request of this call is still unanswered, by index.
            var unanswered = respond == nil ? [] : [Bool](repeating: true, count: tokens.count)
            // Outputs are moved out (reversed, then popped) rather than iterated, which would copy each reply and
            // message (a retain of each of its strings and arrays) and release them again with the array.
            outputs.reverse()
            while let output = outputs.popLast() {
                switch consume output {
                case .reply(let replyToken, let reply):
                    if tokens.contains(replyToken.value), let respond {
                        let index = Int(replyToken.value - tokens.lowerBound)
                        answers.append((Responder(respond, index: index), reply))
                        unanswered[index] = false
                    } else if let waiting = state.responders.removeValue(forKey: replyToken.value) {
                        answers.append((waiting, reply))
                    }
                case .send(let peer, let message):
                    if !state.peerLinks.isIsolated(peer) { state.peerSender?.send(peer, message) }
                case .collectSnapshot(let collection):
                    collections.append(collection)
                }
            }
            if let respond {
                for (index, token) in tokens.enumerated() where unanswered[index] {
                    state.responders[token] = Responder(respond, index: index)
                }
            }
            return (answers, collections, state.node.pendingWriteCount, flush)
        }
        while let (responder, reply) = answers.popFirst() { responder.respond(responder.index, reply) }
        for collection in collections { Task { await self.collect(collection) } }
        if pending >= self.configuration.flushBatchEntries { self.trigger.fire() }
        if flushOutbound { self.scheduleOutboundFlush() }
    }

    /// Sends what requests queued for followers once the current event-loop iteration is done, so that the
    /// requests read in one burst travel to each follower in one message (and one write).
    private func scheduleOutboundFlush() {
        guard
            self.outboundFlushScheduled.compareExchange(
                expected: false,
                desired: true,
                ordering: .acquiringAndReleasing
            ).exchanged
        else { return }
        MultiThreadedEventLoopGroup.singleton.any().execute {
            self.outboundFlushScheduled.store(false, ordering: .releasing)
            self.deliver(.flushOutbound)
        }
    }

    /// Flushes, reads the stored events of the snapshot's periods and hands them to the cluster core.
    private func collect(_ collection: SnapshotCollection) async {
        var events: [UsageEvent] = []
        do {
            guard await self.flush() else { throw QuotaError(.unavailable, "storage is failing") }
            for period in collection.periods {
                var cursor: Int64?
                repeat {
                    let query = try EventQuery(
                        tenant: period.tenant,
                        metric: period.metric,
                        from: period.periodStart,
                        afterSequence: cursor,
                        limit: EventQuery.maximumPageSize
                    )
                    let page = try await self.store.events(query)
                    events += page.events.filter { $0.periodStart == period.periodStart }
                    cursor = page.nextCursor
                } while cursor != nil
            }
        } catch {
            self.logger.error(
                "could not read a snapshot's events; the move will be retried",
                metadata: ["error": "\(error)"]
            )
            return
        }
        self.deliver(.snapshotCollected(id: collection.id, events: events))
    }

    // MARK: Audit reads

    /// Throws unless this node holds a live replica (owner or follower) of `tenant`'s shard: audit reads come
    /// from the node's own storage, which only a replica keeps up to date.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/unavailable`` naming the owner to ask instead.
    func requireReplica(of tenant: TenantID) throws {
        let (role, owner) = self.state.withLock { ($0.node.role(of: tenant), $0.node.owner(of: tenant)) }
        guard role == .none else { return }
        let hint = owner.map { "ask its owner '\($0)'" } ?? "its owner is not known yet; retry"
        throw QuotaError(.unavailable, "node '\(self.nodeID)' holds no replica of tenant '\(tenant)'; \(hint)")
    }

    /// A page of stored usage events. Pending events are flushed first, so a caller sees its own writes
    /// while storage is healthy.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/unavailable`` when this node holds no replica of the tenant
    ///   (ask the owner, named in the message); whatever storage throws.
    public func events(_ query: EventQuery) async throws -> EventPage {
        try self.requireReplica(of: query.tenant)
        await self.flush()
        return try await self.store.events(query)
    }

    /// Stored usage records, newest period first, after flushing pending changes.
    ///
    /// - Throws: as ``events(_:)``.
    public func records(_ query: RecordQuery) async throws -> [UsageRecord] {
        try self.requireReplica(of: query.tenant)
        await self.flush()
        return try await self.store.records(query)
    }

    // MARK: Health

    /// Whether the node can take traffic: storage writes are succeeding.
    public var isReady: Bool { self.consecutiveFlushFailures.withLock { $0 == 0 } }

    /// Writes every pending change to storage now.
    ///
    /// - Returns: `true` when everything is durable, `false` when storage failed.
    @discardableResult
    public func flush() async -> Bool { await self.writer.drain(self) }

    /// Entries waiting for storage (pending and in flight).
    public var unflushedCount: Int { self.state.withLock { $0.node.unflushedWriteCount } }
}

/// What the engine's lock guards: the cluster core and the callbacks of unanswered requests.
struct EngineState: Sendable {
    var node: ClusterNode
    /// The callbacks of requests the cluster core has not answered yet, by client token.
    var responders: [UInt64: Responder] = [:]
    var nextToken: UInt64 = 1
    /// Where messages to peers go; set by the peer transport (``QuotaEngine/attachPeers(_:)``).
    var peerSender: PeerSender?
    /// The transport's connection state per peer, and the peers isolated for a drill.
    var peerLinks = PeerLinks()
}

/// Where a client request's reply goes: a submit's callback and the request's index in that submit.
struct Responder: Sendable {
    let respond: @Sendable (Int, ClusterReply) -> Void
    let index: Int

    init(_ respond: @escaping @Sendable (Int, ClusterReply) -> Void, index: Int) {
        self.respond = respond
        self.index = index
    }
}

/// The peer transport's send function, boxed: reading a class reference out of the engine's lock costs
/// nothing, where a stored closure was re-wrapped in a reabstraction thunk on every read.
final class PeerSender: Sendable {
    let send: @Sendable (NodeID, PeerMessage) -> Void

    init(_ send: @escaping @Sendable (NodeID, PeerMessage) -> Void) { self.send = send }
}

/// The transport's view of each peer and the isolation a drill imposes.
struct PeerLinks: Sendable {
    var up: [NodeID: Bool] = [:]
    var isolated: Set<NodeID> = []

    /// Whether `peer` is isolated; without a drill (the normal case) no id is hashed, on every peer message.
    func isIsolated(_ peer: NodeID) -> Bool { !self.isolated.isEmpty && self.isolated.contains(peer) }
}

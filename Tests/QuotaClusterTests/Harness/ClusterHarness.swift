import QuotaCluster
import QuotaCore

/// Several real ``ClusterNode``s on a simulated clock and network, driven step by step: the seed of the
/// deterministic simulator, used here to test the cluster core's protocol directly.
struct ClusterHarness {
    struct Member {
        var node: ClusterNode?
        var disk = MemoryDisk()
    }

    struct InFlight {
        let at: Int64
        let order: UInt64
        let from: NodeID
        let to: NodeID
        let message: PeerMessage
    }

    static let wallBase: Int64 = 1_800_000_000_000
    static let tickMilliseconds: Int64 = 20

    let ids: [NodeID]
    let timings: ClusterTimings
    var members: [NodeID: Member] = [:]
    var now: Int64 = 0
    var inFlight: [InFlight] = []
    var order: UInt64 = 0
    var replies: [UInt64: ClusterReply] = [:]
    var nextToken: UInt64 = 1
    var latency: Int64 = 1
    /// Pairs whose messages are dropped.
    var cut: Set<[NodeID]> = []
    /// Extra latency of some (from, to) pairs, in milliseconds.
    var slow: [[NodeID]: Int64] = [:]

    /// Starts the members `names`; a member with an entry in `disks` starts from that storage.
    init(_ names: [String], disks: [NodeID: MemoryDisk] = [:], timings: ClusterTimings? = nil) throws {
        self.ids = try names.map(NodeID.init)
        self.timings = try timings ?? ClusterTimings()
        for id in self.ids {
            self.members[id] = Member(disk: disks[id] ?? MemoryDisk())
            try self.start(id)
        }
    }

    var time: ClusterTime {
        ClusterTime(wall: Timestamp(millisecondsSinceEpoch: Self.wallBase + self.now), monotonic: self.now)
    }

    func node(_ id: NodeID) -> ClusterNode { self.members[id]!.node! }

    mutating func start(_ id: NodeID) throws {
        var member = self.members[id]!
        member.disk.incarnation += 1
        let configuration = try ClusterConfiguration(
            nodeID: id,
            members: self.ids,
            virtualNodesPerMember: 16,
            timings: self.timings
        )
        let ledger = QuotaLedger(
            eventIDPrefix: "\(id)-\(member.disk.incarnation)",
            recovered: member.disk.recovered(now: self.time.wall),
            now: self.time.wall
        )
        member.node = ClusterNode(
            configuration: configuration,
            incarnation: UInt64(member.disk.incarnation),
            ledger: ledger
        )
        self.members[id] = member
        for peer in self.ids where peer != id && self.members[peer]?.node != nil {
            self.deliver(to: id, .connectionChanged(peer, up: true))
            self.deliver(to: peer, .connectionChanged(id, up: true))
        }
    }

    /// Kills a node: it loses memory (its disk keeps what was flushed) and its messages in flight.
    mutating func kill(_ id: NodeID) {
        self.members[id]?.node = nil
        self.inFlight.removeAll { $0.from == id || $0.to == id }
        for peer in self.ids where peer != id && self.members[peer]?.node != nil {
            self.deliver(to: peer, .connectionChanged(id, up: false))
        }
    }

    mutating func deliver(to id: NodeID, _ input: ClusterInput) {
        guard var node = self.members[id]?.node else { return }
        var outputs: [ClusterOutput] = []
        node.handle(input, now: self.time, into: &outputs)
        self.members[id]?.node = node
        for output in outputs { self.execute(output, at: id) }
    }

    mutating func execute(_ output: ClusterOutput, at id: NodeID) {
        switch output {
        case .send(let to, let message):
            guard !self.cut.contains([id, to]) else { return }
            self.order += 1
            self.inFlight.append(
                InFlight(
                    at: self.now + self.latency + (self.slow[[id, to]] ?? 0),
                    order: self.order,
                    from: id,
                    to: to,
                    message: message
                )
            )
        case .reply(let token, let reply):
            self.replies[token.value] = reply
        case .collectSnapshot(let collection):
            self.flush(id)
            let events = self.members[id]!.disk.events(of: collection.periods)
            self.deliver(to: id, .snapshotCollected(id: collection.id, events: events))
        }
    }

    /// Writes a node's write-behind buffer to its disk.
    mutating func flush(_ id: NodeID) {
        guard var node = self.members[id]?.node, let batch = node.takeFlushBatch() else { return }
        self.members[id]?.disk.persist(batch)
        node.flushSucceeded()
        self.members[id]?.node = node
    }

    /// Advances time by `milliseconds`, delivering messages and ticking every node.
    mutating func run(for milliseconds: Int64) {
        let end = self.now + milliseconds
        while self.now < end {
            self.now += 1
            while let index = self.nextDue() {
                let message = self.inFlight.remove(at: index)
                self.deliver(to: message.to, .message(from: message.from, message.message))
            }
            if self.now % Self.tickMilliseconds == 0 {
                for id in self.ids {
                    self.deliver(to: id, .tick)
                    self.flush(id)
                }
            }
        }
    }

    func nextDue() -> Int? {
        var best: Int?
        for (index, message) in self.inFlight.enumerated() where message.at <= self.now {
            if let current = best,
                (self.inFlight[current].at, self.inFlight[current].order) <= (message.at, message.order)
            {
                continue
            }
            best = index
        }
        return best
    }

    /// Sends a request to `id` and runs until it is answered (or `timeout` passes).
    mutating func request(_ operation: ClusterOperation, via id: NodeID, timeout: Int64 = 5000) -> ClusterReply? {
        let token = self.nextToken
        self.nextToken += 1
        self.deliver(to: id, .request(ClientToken(token), operation))
        self.deliver(to: id, .flushOutbound)
        var waited: Int64 = 0
        while self.replies[token] == nil, waited < timeout {
            self.run(for: 1)
            waited += 1
        }
        return self.replies.removeValue(forKey: token)
    }

    /// Every shard is placed on the first two live members of its preference list, as owner and up-to-date
    /// follower, and every live node agrees.
    func settled() -> Bool {
        let live = self.ids.filter { self.members[$0]?.node != nil }
        guard let first = live.first else { return false }
        let ring = self.node(first).configuration.ring
        let count = ring.shards.count
        let views = live.map { self.node($0).status(now: self.time).shards }
        for shard in 0..<count {
            let preferred = ring.replicas(ofShard: shard, count: ring.members.count).filter { live.contains($0) }
            let views = views.map { $0[shard] }
            guard let owner = views[0].assignment.owner, owner == preferred[0],
                views[0].assignment.follower == preferred[1]
            else { return false }
            guard views.allSatisfy({ $0.assignment == views[0].assignment }) else { return false }
            let ownerView = views[live.firstIndex(of: owner)!]
            guard views[live.firstIndex(of: preferred[1])!].role == .follower else { return false }
            guard ownerView.role == .owner, ownerView.followerSynced, ownerView.moving == false else { return false }
        }
        return true
    }

    /// Runs until ``settled()`` (or `limit` passes); returns the time it took.
    mutating func runUntilSettled(limit: Int64 = 30_000) -> Int64? {
        let start = self.now
        while self.now - start < limit {
            self.run(for: Self.tickMilliseconds)
            if self.settled() { return self.now - start }
        }
        return nil
    }
}

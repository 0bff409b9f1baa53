import QuotaCluster
import QuotaCore
import Testing

@Suite("Cluster core: fencing, forwarding and partitions")
struct ClusterFencingTests {
    typealias Support = ClusterNodeTests

    /// The owner, follower and third member of `tenant`'s shard as the settled cluster assigns it.
    func roles(_ harness: ClusterHarness, _ tenant: String) throws -> (owner: NodeID, follower: NodeID, other: NodeID) {
        let ring = harness.node(harness.ids[0]).configuration.ring
        let placement = ring.placement(of: try TenantID(tenant), replicaCount: 3)
        return (placement.replicas[0], placement.replicas[1], placement.replicas[2])
    }

    @Test("a forwarded request for a shard the node does not own is answered unavailable, never forwarded again")
    func noSecondHop() throws {
        var harness = try ClusterHarness(["n1", "n2", "n3"])
        #expect(harness.runUntilSettled() != nil)
        let (owner, follower, other) = try self.roles(harness, "acme")
        var node = harness.node(other)
        var outputs: [ClusterOutput] = []
        let request = ForwardedRequest(
            id: 7,
            incarnation: harness.node(follower).incarnation,
            operation: .status(try TenantID("acme"))
        )
        node.handle(.message(from: follower, .forward(request)), now: harness.time, into: &outputs)
        guard outputs.count == 1, case .send(let to, .forwardReply(let reply)) = outputs[0] else {
            Issue.record("expected one reply, got \(outputs)")
            return
        }
        #expect(to == follower)
        #expect(reply.id == 7)
        guard case .failure(let error) = reply.reply.outcome else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == .unavailable)
        #expect(error.message.contains("'\(owner)'"))
    }

    @Test("a follower refuses replicated changes of an epoch it does not follow")
    func staleEpochRefused() throws {
        var harness = try ClusterHarness(["n1", "n2", "n3"])
        #expect(harness.runUntilSettled() != nil)
        let (owner, follower, _) = try self.roles(harness, "acme")
        let shard = harness.node(owner).configuration.ring.shardIndex(of: try TenantID("acme"))
        let epoch = harness.node(follower).status(now: harness.time).shards[shard].assignment.epoch
        var delta = LedgerDelta()
        delta.records = [
            UsageRecord(
                tenant: try TenantID("acme"),
                metric: try MetricCode("calls"),
                periodStart: Timestamp(millisecondsSinceEpoch: 0),
                periodEnd: Timestamp(millisecondsSinceEpoch: 1000),
                usage: 99,
                updatedAt: Timestamp(millisecondsSinceEpoch: 0)
            )
        ]
        let replication = Replication(
            ownerIncarnation: harness.node(owner).incarnation,
            followerIncarnation: harness.node(follower).incarnation,
            entries: [ReplicationEntry(sequence: 1, shard: shard, epoch: epoch - 1, delta: delta)]
        )
        var node = harness.node(follower)
        var outputs: [ClusterOutput] = []
        node.handle(.message(from: owner, .replicate(replication)), now: harness.time, into: &outputs)
        guard case .send(_, .replicateAck(let ack))? = outputs.first else {
            Issue.record("expected an acknowledgement, got \(outputs)")
            return
        }
        #expect(ack.refused == [1])
        #expect(ack.upTo == 1)
    }

    @Test("cut off from its follower, an owner stops admitting; the follower takes over; nothing is over-admitted")
    func ownerFollowerPartition() throws {
        var harness = try ClusterHarness(["n1", "n2", "n3"])
        #expect(harness.runUntilSettled() != nil)
        let (owner, follower, other) = try self.roles(harness, "acme")
        #expect(harness.request(try Support.limit("acme", 30), via: owner)?.outcome == .done)
        for index in 0..<10 {
            #expect(Support.allowed(harness.request(try Support.consume("acme", key: "a\(index)"), via: owner)) == true)
        }
        harness.cut = [[owner, follower], [follower, owner]]
        var admitted = 10
        // Each request is retried with its key until it gets a definite answer, as clients must: a timeout or an
        // `unavailable` is indeterminate.
        var undecided: [(key: String, via: NodeID)] = []
        for step in 0..<40 {
            for via in [owner, other] {
                undecided.append(("p\(step)-\(via)", via))
            }
        }
        var rounds = 0
        while !undecided.isEmpty, rounds < 200 {
            rounds += 1
            if rounds == 100 { harness.cut = [] }
            var still: [(key: String, via: NodeID)] = []
            for (key, via) in undecided {
                let reply = harness.request(try Support.consume("acme", key: key), via: via, timeout: 500)
                switch Support.allowed(reply) {
                case true?: admitted += 1
                case false?: break
                case nil: still.append((key, via))
                }
            }
            undecided = still
            harness.run(for: 100)
        }
        #expect(undecided.isEmpty)
        #expect(admitted == 30)
        harness.cut = []
        #expect(harness.runUntilSettled() != nil)
        for id in harness.ids {
            #expect(Support.usage(harness.request(.status(try TenantID("acme")), via: id)) == 30)
        }
    }
}

import QuotaCluster
import QuotaCore
import Testing

@Suite("Cluster core: three nodes on a simulated network")
struct ClusterNodeTests {
    static func limit(_ tenant: String, _ value: Int64) throws -> ClusterOperation {
        .setLimit(
            try Limit(
                tenant: TenantID(tenant),
                metric: MetricCode("calls"),
                value: value,
                period: PeriodSpec(unit: .month),
                enforcement: .hard
            )
        )
    }

    static func consume(_ tenant: String, _ amount: Int64 = 1, key: String? = nil) throws -> ClusterOperation {
        .consume(
            try UsageRequest(
                tenant: TenantID(tenant),
                items: [UsageRequest.Item(metric: MetricCode("calls"), amount: amount)],
                idempotencyKey: key.map(IdempotencyKey.init)
            )
        )
    }

    static func usage(_ reply: ClusterReply?) -> Int64? {
        guard case .status(let metrics)? = reply?.outcome else { return nil }
        return metrics.first?.usage
    }

    static func allowed(_ reply: ClusterReply?) -> Bool? {
        guard case .decision(let decision)? = reply?.outcome else { return nil }
        return decision.allowed
    }

    @Test("a cold start settles: every shard has an owner and a synced follower")
    func coldStart() throws {
        var harness = try ClusterHarness(["n1", "n2", "n3"])
        let took = harness.runUntilSettled()
        #expect(took != nil)
    }

    @Test("every node gives the same decisions and status; hard limits are exact")
    func sameAnswerEverywhere() throws {
        var harness = try ClusterHarness(["n1", "n2", "n3"])
        #expect(harness.runUntilSettled() != nil)
        for tenant in ["acme", "globex", "initech", "umbrella"] {
            let set = harness.request(try Self.limit(tenant, 10), via: harness.ids[0])
            #expect(set?.outcome == .done)
            var admitted = 0
            for attempt in 0..<15 {
                let reply = harness.request(try Self.consume(tenant), via: harness.ids[attempt % 3])
                if Self.allowed(reply) == true { admitted += 1 }
            }
            #expect(admitted == 10)
            let usages = harness.ids.map { Self.usage(harness.request(.status(try! TenantID(tenant)), via: $0)) }
            #expect(usages == [10, 10, 10])
        }
    }

    @Test("killing an owner: the follower takes over with exact usage")
    func failover() throws {
        var harness = try ClusterHarness(["n1", "n2", "n3"])
        #expect(harness.runUntilSettled() != nil)
        let tenant = try TenantID("acme")
        #expect(harness.request(try Self.limit("acme", 100), via: harness.ids[0])?.outcome == .done)
        for index in 0..<20 {
            #expect(
                Self.allowed(harness.request(try Self.consume("acme", key: "k\(index)"), via: harness.ids[index % 3]))
                    == true
            )
        }
        let owner = harness.request(.status(tenant), via: harness.ids[0])!.servedBy
        harness.kill(owner)
        let survivors = harness.ids.filter { $0 != owner }
        var answered = false
        var waited: Int64 = 0
        while !answered, waited < 10_000 {
            let reply = harness.request(try Self.consume("acme", key: "after"), via: survivors[0], timeout: 3000)
            if Self.allowed(reply) == true {
                answered = true
            } else {
                harness.run(for: 100)
                waited += 100
            }
        }
        #expect(answered)
        for survivor in survivors {
            #expect(Self.usage(harness.request(.status(tenant), via: survivor)) == 21)
        }
        // A retried key is not counted twice after failover.
        let replay = harness.request(try Self.consume("acme", key: "k3"), via: survivors[1])
        guard case .decision(let decision)? = replay?.outcome else {
            Issue.record("no decision")
            return
        }
        #expect(decision.replayed)
        #expect(Self.usage(harness.request(.status(tenant), via: survivors[0])) == 21)
    }

    @Test("a restarted node catches up, takes its shards back, and replicas agree")
    func rejoin() throws {
        var harness = try ClusterHarness(["n1", "n2", "n3"])
        #expect(harness.runUntilSettled() != nil)
        let tenants = (0..<12).map { "tenant-\($0)" }
        for tenant in tenants {
            #expect(harness.request(try Self.limit(tenant, 50), via: harness.ids[0])?.outcome == .done)
            for index in 0..<5 {
                _ = harness.request(try Self.consume(tenant), via: harness.ids[index % 3])
            }
        }
        harness.kill(harness.ids[0])
        #expect(harness.runUntilSettled() != nil)
        for tenant in tenants {
            _ = harness.request(try Self.consume(tenant, 2), via: harness.ids[1])
        }
        try harness.start(harness.ids[0])
        let settledAfter = harness.runUntilSettled()
        #expect(settledAfter != nil)
        for tenant in tenants {
            let usages = harness.ids.map { Self.usage(harness.request(.status(try! TenantID(tenant)), via: $0)) }
            #expect(usages == [7, 7, 7], "\(tenant)")
        }
        // The preferred placement is back: each shard's owner is the first member of its preference list.
        let view = harness.node(harness.ids[0]).status(now: harness.time)
        let ring = harness.node(harness.ids[0]).configuration.ring
        for shard in view.shards {
            #expect(shard.assignment.owner == ring.replicas(ofShard: shard.index, count: 2)[0])
            #expect(shard.assignment.follower == ring.replicas(ofShard: shard.index, count: 2)[1])
        }
        // Each disk's records equal the sum of its events.
        for id in harness.ids {
            harness.flush(id)
            let disk = harness.members[id]!.disk
            let sums = disk.eventSums()
            for (key, record) in disk.records
            where ring.replicas(ofShard: ring.shardIndex(of: key.tenant), count: 2).contains(id) {
                #expect(sums[key] ?? 0 == record.usage, "\(id) \(key.tenant)")
            }
        }
    }

    @Test("a move completes when its outcome arrives through a third member before the target's answer")
    func outcomeRelayedByAThirdMember() throws {
        var harness = try ClusterHarness(["n1", "n2", "n3"])
        #expect(harness.runUntilSettled() != nil)
        harness.kill(harness.ids[0])
        #expect(harness.runUntilSettled() != nil)
        // The restarted n1 answers n2 slowly, while its reports reach n2 quickly through n3.
        harness.slow = [[harness.ids[0], harness.ids[1]]: 200]
        try harness.start(harness.ids[0])
        let took = harness.runUntilSettled()
        #expect(took != nil)
    }
}

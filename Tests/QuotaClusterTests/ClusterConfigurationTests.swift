import QuotaCluster
import QuotaCore
import Testing

@Suite("Cluster configuration: bad input is refused")
struct ClusterConfigurationTests {
    @Test("the defaults are valid and promotion waits past lease plus drift")
    func defaults() throws {
        let timings = try ClusterTimings()
        #expect(timings.promotionWaitMilliseconds == 1200)
    }

    @Test(
        "invalid timings are refused",
        arguments: [
            (0, 1000, 1000), (100, 1000, 0), (1000, 1000, 1000), (100, 500, 1000),
        ] as [(Int64, Int64, Int64)]
    )
    func invalidTimings(heartbeat: Int64, suspicion: Int64, lease: Int64) {
        #expect(throws: QuotaError.self) {
            try ClusterTimings(
                heartbeatIntervalMilliseconds: heartbeat,
                suspicionTimeoutMilliseconds: suspicion,
                leaseMilliseconds: lease
            )
        }
    }

    @Test("conflicting timings are named, the heartbeat first")
    func timingConflicts() {
        #expect(
            ClusterTimings.conflict(
                heartbeatIntervalMilliseconds: 1000,
                suspicionTimeoutMilliseconds: 500,
                leaseMilliseconds: 1000
            )
                == .heartbeatNotShorterThanLease
        )
        #expect(
            ClusterTimings.conflict(
                heartbeatIntervalMilliseconds: 100,
                suspicionTimeoutMilliseconds: 500,
                leaseMilliseconds: 1000
            )
                == .suspicionShorterThanLease
        )
        #expect(
            ClusterTimings.conflict(
                heartbeatIntervalMilliseconds: ClusterTimings.Defaults.heartbeatIntervalMilliseconds,
                suspicionTimeoutMilliseconds: ClusterTimings.Defaults.suspicionTimeoutMilliseconds,
                leaseMilliseconds: ClusterTimings.Defaults.leaseMilliseconds
            ) == nil
        )
    }

    @Test("a node must be among the members")
    func nodeNotAMember() throws {
        #expect(throws: QuotaError.self) {
            try ClusterConfiguration(
                nodeID: NodeID("n4"),
                members: [NodeID("n1"), NodeID("n2")],
                timings: ClusterTimings()
            )
        }
    }

    @Test("members listed twice are refused")
    func duplicateMembers() throws {
        #expect(throws: QuotaError.self) {
            try ClusterConfiguration(
                nodeID: NodeID("n1"),
                members: [NodeID("n1"), NodeID("n1")],
                timings: ClusterTimings()
            )
        }
    }

    @Test("the membership fingerprint depends on the member list only, not its order")
    func fingerprint() throws {
        let timings = try ClusterTimings()
        let one = try ClusterConfiguration(
            nodeID: NodeID("n1"),
            members: [NodeID("n1"), NodeID("n2")],
            timings: timings
        )
        let two = try ClusterConfiguration(
            nodeID: NodeID("n2"),
            members: [NodeID("n2"), NodeID("n1")],
            timings: timings
        )
        let three = try ClusterConfiguration(
            nodeID: NodeID("n1"),
            members: [NodeID("n1"), NodeID("n2"), NodeID("n3")],
            timings: timings
        )
        #expect(one.membershipFingerprint == two.membershipFingerprint)
        #expect(one.membershipFingerprint != three.membershipFingerprint)
    }

    @Test("a single member owns every shard at once and answers without a follower")
    func singleMember() throws {
        let configuration = try ClusterConfiguration(
            nodeID: NodeID("n1"),
            members: [NodeID("n1")],
            timings: ClusterTimings()
        )
        let now = ClusterTime(wall: Timestamp(millisecondsSinceEpoch: 1_800_000_000_000), monotonic: 0)
        var node = ClusterNode(
            configuration: configuration,
            incarnation: 1,
            ledger: QuotaLedger(eventIDPrefix: "n1-1", now: now.wall)
        )
        #expect(node.status(now: now).ownedCount == configuration.ring.shards.count)
        var outputs: [ClusterOutput] = []
        let request = try UsageRequest(tenant: TenantID("acme"), items: [.init(metric: MetricCode("calls"), amount: 1)])
        node.handle(.request(ClientToken(1), .consume(request)), now: now, into: &outputs)
        guard outputs.count == 1, case .reply(let token, let reply) = outputs[0],
            case .decision(let decision) = reply.outcome
        else {
            Issue.record("expected an immediate decision, got \(outputs)")
            return
        }
        #expect(token == ClientToken(1))
        #expect(decision.allowed)
        #expect(reply.servedBy.rawValue == "n1")
    }
}

import QuotaCluster
import QuotaCore
import Testing

@Suite("Cluster core: restarting the cluster with a new member list")
struct MembershipChangeTests {
    typealias Support = ClusterNodeTests

    @Test("a fourth member: the tenants that move keep their limits, usage and idempotency keys")
    func addAFourthMember() throws {
        var three = try ClusterHarness(["n1", "n2", "n3"])
        #expect(three.runUntilSettled() != nil)
        let tenants = (0..<40).map { "tenant-\($0)" }
        var expected: [String: Int64] = [:]
        for (index, tenant) in tenants.enumerated() {
            #expect(three.request(try Support.limit(tenant, 100), via: three.ids[index % 3])?.outcome == .done)
            let count = 1 + index % 5
            for attempt in 0..<count {
                let reply = three.request(
                    try Support.consume(tenant, key: "\(tenant)-\(attempt)"),
                    via: three.ids[attempt % 3]
                )
                #expect(Support.allowed(reply) == true)
            }
            expected[tenant] = Int64(count)
        }
        for id in three.ids { three.flush(id) }
        var disks: [NodeID: MemoryDisk] = [:]
        for id in three.ids { disks[id] = three.members[id]?.disk }

        var four = try ClusterHarness(["n1", "n2", "n3", "n4"], disks: disks)
        #expect(four.runUntilSettled() != nil)
        let ring = four.node(four.ids[0]).configuration.ring
        let moved = try tenants.filter { ring.placement(of: try TenantID($0)).owner.rawValue == "n4" }
        #expect(!moved.isEmpty)
        for tenant in tenants {
            let id = try TenantID(tenant)
            #expect(Support.usage(four.request(.status(id), via: four.ids[3])) == expected[tenant], "\(tenant)")
            guard case .limits(let limits)? = four.request(.limits(id), via: four.ids[0])?.outcome else {
                Issue.record("no limits for \(tenant)")
                continue
            }
            #expect(limits.map(\.value) == [100], "\(tenant)")
            let replay = four.request(try Support.consume(tenant, key: "\(tenant)-0"), via: four.ids[1])
            guard case .decision(let decision)? = replay?.outcome else {
                Issue.record("no decision for \(tenant)")
                continue
            }
            #expect(decision.replayed, "\(tenant)")
            #expect(Support.usage(four.request(.status(id), via: four.ids[2])) == expected[tenant], "\(tenant)")
        }
    }
}

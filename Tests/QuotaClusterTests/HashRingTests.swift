import QuotaCluster
import QuotaCore
import Testing

@Suite struct HashRingTests {
    static func members(_ count: Int) throws -> [NodeID] {
        try (1...count).map { try NodeID("n\($0)") }
    }

    static let tenants: [TenantID] = (0..<100_000).map { try! TenantID("tenant-\($0)") }

    /// Test vectors for the ring of n1, n2, n3 with the defaults (128 virtual nodes, 5 probes), computed
    /// with an independent reference implementation of the algorithm in docs/ring.md.
    @Test(arguments: [
        ("acme", "n1", 50, ["n1", "n2"]),
        ("globex", "n3", 74, ["n3", "n2"]),
        ("initech", "n1", 44, ["n1", "n3"]),
        ("tenant-42", "n3", 14, ["n3", "n1"]),
        ("é", "n1", 52, ["n1", "n2"]),
        ("a/b c", "n2", 49, ["n2", "n1"]),
        ("umbrella", "n3", 91, ["n3", "n1"]),
        ("hooli", "n1", 48, ["n1", "n2"]),
        ("tenant-0", "n2", 9, ["n2", "n3"]),
        ("tenant-99999", "n3", 62, ["n3", "n1"]),
    ])
    func placementMatchesTheTestVectors(tenant: String, shardMember: String, shardIndex: Int, replicas: [String]) throws
    {
        let ring = try HashRing(members: Self.members(3))
        let placement = ring.placement(of: try TenantID(tenant))
        #expect(placement.shard.member.rawValue == shardMember)
        #expect(placement.shard.index == shardIndex)
        #expect(placement.replicas.map(\.rawValue) == replicas)
        #expect(placement.owner.rawValue == replicas[0])
        #expect(placement.follower?.rawValue == replicas[1])
    }

    /// The lookup as the type's documentation defines it, without binary search: for each probe, the nearest
    /// point clockwise over every virtual node (the lowest index among equal points), the lower probe on a tie.
    static func referenceShardIndex(of tenant: TenantID, in ring: HashRing) -> Int {
        var best = (distance: UInt64.max, position: 0)
        for probe in 0..<ring.probes {
            let hash = XXHash64.hash(Array(tenant.rawValue.utf8), seed: UInt64(probe))
            var nearest = (distance: UInt64.max, position: 0)
            for (position, node) in ring.shards.enumerated() where node.point &- hash < nearest.distance {
                nearest = (node.point &- hash, position)
            }
            if nearest.distance < best.distance || probe == 0 { best = nearest }
        }
        return best.position
    }

    /// Tenant ids of 1 to 128 UTF-8 bytes (both XXH64 paths: under and over 32 bytes, with 8-, 4- and 1-byte
    /// tails), mixing ASCII with two-, three- and four-byte characters.
    static let assortedTenants: [TenantID] = {
        let alphabet: [Character] = ["a", "Z", "7", "-", "_", ".", "é", "ü", "漢", "😀", "q", "0"]
        var tenants: [TenantID] = []
        for length in 1...100 {
            for variant in 0..<12 {
                var text = ""
                for position in 0..<length {
                    let next = alphabet[(position * 7 + variant * 5 + length) % alphabet.count]
                    guard text.utf8.count + String(next).utf8.count <= TenantID.maximumBytes else { break }
                    text.append(next)
                }
                tenants.append(try! TenantID(text))
            }
        }
        return tenants
    }()

    @Test(arguments: [1, 2, 3, 10])
    func theLookupFindsTheShardTheReferenceScanFinds(memberCount: Int) throws {
        for (virtualNodes, probes) in [(1, 1), (1, 5), (16, 1), (16, 5), (128, 5)] {
            let ring = try HashRing(
                members: Self.members(memberCount),
                virtualNodesPerMember: virtualNodes,
                probes: probes
            )
            for tenant in Self.assortedTenants {
                #expect(ring.shardIndex(of: tenant) == Self.referenceShardIndex(of: tenant, in: ring))
            }
        }
    }

    @Test(arguments: [3, 5, 10])
    func theBusiestMemberHoldsAtMostOnePointFifteenTimesTheMean(memberCount: Int) throws {
        let ring = try HashRing(members: Self.members(memberCount))
        var counts: [NodeID: Int] = [:]
        for tenant in Self.tenants { counts[ring.placement(of: tenant, replicaCount: 1).owner, default: 0] += 1 }
        let mean = Double(Self.tenants.count) / Double(memberCount)
        let busiest = Double(counts.values.max() ?? 0)
        #expect(counts.count == memberCount)
        #expect(busiest / mean <= 1.15, "busiest holds \(busiest / mean)× the mean")
    }

    @Test(arguments: [3, 5, 10])
    func addingAMemberMovesAboutOneInNPlusOneTenantsAllToTheNewMember(memberCount: Int) throws {
        let before = try HashRing(members: Self.members(memberCount))
        let newcomer = try NodeID("n\(memberCount + 1)")
        let after = try HashRing(members: Self.members(memberCount) + [newcomer])
        var moved = 0
        var movedElsewhere = 0
        for tenant in Self.tenants {
            let old = before.placement(of: tenant, replicaCount: 1).owner
            let new = after.placement(of: tenant, replicaCount: 1).owner
            if old != new {
                moved += 1
                if new != newcomer { movedElsewhere += 1 }
            }
        }
        let expected = Double(Self.tenants.count) / Double(memberCount + 1)
        #expect(movedElsewhere == 0)
        #expect(
            Double(moved) > 0.8 * expected && Double(moved) < 1.2 * expected,
            "moved \(moved), expected about \(expected)"
        )
    }

    @Test func removingAMemberMovesOnlyItsTenants() throws {
        let before = try HashRing(members: Self.members(5))
        let removed = try NodeID("n3")
        let after = try HashRing(members: Self.members(5).filter { $0 != removed })
        for tenant in Self.tenants.prefix(20_000) {
            let old = before.placement(of: tenant).owner
            let new = after.placement(of: tenant).owner
            if old != removed { #expect(old == new) }
        }
    }

    @Test func placementDoesNotDependOnTheOrderMembersAreListedIn() throws {
        let members = try Self.members(5)
        let ring = try HashRing(members: members)
        let reversed = try HashRing(members: members.reversed())
        for tenant in Self.tenants.prefix(2_000) {
            #expect(ring.placement(of: tenant, replicaCount: 3) == reversed.placement(of: tenant, replicaCount: 3))
        }
    }

    @Test func replicasAreDistinctAndCappedByTheMemberCount() throws {
        let ring = try HashRing(members: Self.members(3))
        let placement = ring.placement(of: try TenantID("acme"), replicaCount: 5)
        #expect(placement.replicas.count == 3)
        #expect(Set(placement.replicas).count == 3)
        let single = try HashRing(members: [NodeID("solo")])
        #expect(single.placement(of: try TenantID("acme")).follower == nil)
    }

    @Test func badRingsAreRefused() throws {
        let n1 = try NodeID("n1")
        for (members, virtualNodes, probes) in [
            ([], 128, 5), ([n1, n1], 128, 5), ([n1], 0, 5), ([n1], 128, 0), ([n1], 5000, 5),
        ] {
            let error = #expect(throws: QuotaError.self) {
                try HashRing(members: members, virtualNodesPerMember: virtualNodes, probes: probes)
            }
            #expect(error?.code == .invalidArgument)
        }
    }

    @Test(arguments: ["", "has space", "slash/y", String(repeating: "x", count: 65), "ünïcode"])
    func badNodeIDsAreRefused(id: String) {
        let error = #expect(throws: QuotaError.self) { try NodeID(id) }
        #expect(error?.code == .invalidArgument)
    }
}

import QuotaCore

/// The consistent-hash ring that places tenants on members: virtual nodes, looked up with multiple probes.
///
/// **Virtual nodes.** Each member is placed at `virtualNodesPerMember` points (default 128): the point of
/// virtual node `i` of member `m` is `XXH64("<m>#<i>", seed 0)` over the UTF-8 bytes, `i` in decimal.
/// Points are ordered by (point, member id bytes, `i`), so even a hash collision has one order.
///
/// **Multi-probe lookup** (Appleton and O'Reilly, "Multi-probe consistent hashing", arXiv:1505.00062, 2015).
/// A tenant is hashed `probes` times (default 5): probe `j` is `XXH64(tenant UTF-8, seed j)`. Each probe
/// finds the first point clockwise (the first point ≥ the probe, wrapping around); the probe whose point
/// is nearest (smallest clockwise distance modulo 2⁶⁴, the lower `j` on a tie) wins. With 128 virtual nodes
/// a single probe leaves the busiest of 10 members near 1.15–1.3× the mean; five probes bring it near 1.1×.
///
/// **Placement.** The member of the winning point owns the tenant; walking clockwise from that point, the
/// next distinct members are its follower and further replicas. Adding a member only moves tenants to the
/// new member (a new point can only shorten a probe's distance), about 1/(N+1) of them; removing one only
/// moves the tenants it owned. `docs/ring.md` holds test vectors for other implementations.
public struct HashRing: Sendable {
    /// One virtual node: a member's point on the ring.
    public struct VirtualNode: Hashable, Sendable {
        /// The position on the ring.
        public let point: UInt64
        /// The member it belongs to.
        public let member: NodeID
        /// Its index among the member's virtual nodes.
        public let index: Int
    }

    /// Where a tenant lives.
    public struct Placement: Hashable, Sendable {
        /// The virtual node whose arc holds the tenant: the tenant's shard.
        public let shard: VirtualNode
        /// Distinct members clockwise from the shard: the owner first, then the follower, and so on.
        public let replicas: [NodeID]

        /// The member that serves the tenant.
        public var owner: NodeID { self.replicas[0] }
        /// The member that holds the replica and takes over when the owner fails; `nil` with one member.
        public var follower: NodeID? { self.replicas.count > 1 ? self.replicas[1] : nil }
    }

    /// The default number of virtual nodes per member.
    public static let defaultVirtualNodesPerMember = 128
    /// The default number of probes per lookup.
    public static let defaultProbes = 5

    /// The members, sorted by id.
    public let members: [NodeID]
    /// Virtual nodes per member.
    public let virtualNodesPerMember: Int
    /// Probes per lookup.
    public let probes: Int
    private let ring: [VirtualNode]
    /// The points of ``ring``, in ring order, contiguous for the lookup.
    private let points: [UInt64]
    /// Per bucket of the ring (its top bits), the index of the bucket's first point: a lookup starts there
    /// instead of binary-searching (whose branches mispredicted about every other step, most of a lookup's time).
    private let bucketFirsts: [UInt32]
    /// 64 minus the bits of a bucket number: a hash's bucket is `hash >> bucketShift`.
    private let bucketShift: UInt64

    /// Builds the ring of `members`.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/invalidArgument`` when there are no members, a member is listed
    ///   twice, or `virtualNodesPerMember` or `probes` is outside 1…4096 and 1…64.
    public init(
        members: [NodeID],
        virtualNodesPerMember: Int = HashRing.defaultVirtualNodesPerMember,
        probes: Int = HashRing.defaultProbes
    ) throws {
        guard !members.isEmpty else { throw QuotaError.invalidArgument("a ring needs at least one member") }
        guard Set(members).count == members.count else {
            throw QuotaError.invalidArgument("a member is listed more than once")
        }
        guard (1...4096).contains(virtualNodesPerMember) else {
            throw QuotaError.invalidArgument("virtual nodes per member must be 1…4096, got \(virtualNodesPerMember)")
        }
        guard (1...64).contains(probes) else {
            throw QuotaError.invalidArgument("probes must be 1…64, got \(probes)")
        }
        self.members = members.sorted()
        self.virtualNodesPerMember = virtualNodesPerMember
        self.probes = probes
        var ring: [VirtualNode] = []
        ring.reserveCapacity(members.count * virtualNodesPerMember)
        for member in self.members {
            for index in 0..<virtualNodesPerMember {
                ring.append(
                    VirtualNode(point: XXHash64.hash("\(member.rawValue)#\(index)"), member: member, index: index)
                )
            }
        }
        self.ring = ring.sorted { ($0.point, $0.member.rawValue, $0.index) < ($1.point, $1.member.rawValue, $1.index) }
        self.points = self.ring.map(\.point)
        let buckets = Self.buckets(of: self.points)
        self.bucketFirsts = buckets.firsts
        self.bucketShift = UInt64(64 - buckets.bits)
    }

    /// The placement of `tenant` with up to `replicaCount` distinct members (fewer when the ring has fewer).
    public func placement(of tenant: TenantID, replicaCount: Int = 2) -> Placement {
        precondition(replicaCount > 0, "a placement has at least the owner")
        let position = self.shardIndex(of: tenant)
        return Placement(shard: self.ring[position], replicas: self.replicas(ofShard: position, count: replicaCount))
    }

    /// The virtual nodes in ring order; a shard is identified by its index in this array.
    public var shards: [VirtualNode] { self.ring }

    /// The index in ``shards`` of the shard that holds `tenant` (the multi-probe lookup).
    ///
    /// The tenant's UTF-8 bytes are reached once for all probes, and each probe starts at its bucket's first point
    /// (``bucketFirsts``): every request of a cluster looks its shard up, on the node it reaches and on the owner.
    public func shardIndex(of tenant: TenantID) -> Int {
        var text = tenant.rawValue
        return text.withUTF8 { bytes in
            self.points.withUnsafeBufferPointer { points in
                self.bucketFirsts.withUnsafeBufferPointer { buckets in
                    var best = (distance: UInt64.max, position: 0)
                    for probe in 0..<self.probes {
                        let hash = XXHash64.hash(bytes, seed: UInt64(probe))
                        let position = self.successor(of: hash, in: points, buckets: buckets)
                        let distance = points[position] &- hash
                        if distance < best.distance || probe == 0 { best = (distance, position) }
                    }
                    return best.position
                }
            }
        }
    }

    /// Up to `count` distinct members clockwise from the shard at `index`: its preference list, owner first.
    public func replicas(ofShard index: Int, count: Int) -> [NodeID] {
        var replicas: [NodeID] = []
        let wanted = min(count, self.members.count)
        var position = index
        while replicas.count < wanted {
            let member = self.ring[position].member
            if !replicas.contains(member) { replicas.append(member) }
            position = (position + 1) % self.ring.count
        }
        return replicas
    }

    /// The index of the first point at or after `hash`, wrapping to 0: from the first point of `hash`'s bucket,
    /// past the bucket's points before `hash` (fewer than one on average).
    private func successor(
        of hash: UInt64,
        in points: UnsafeBufferPointer<UInt64>,
        buckets: UnsafeBufferPointer<UInt32>
    ) -> Int {
        var index = Int(buckets[Int(truncatingIfNeeded: hash >> self.bucketShift)])
        while index < points.count, points[index] < hash { index &+= 1 }
        return index == points.count ? 0 : index
    }

    /// For ``points``, the bits of a bucket number and, per bucket (the arc of points whose top bits are its
    /// number), the index of its first point, or of the next bucket's when it has none: at least two buckets per
    /// point, at most 2¹⁶ buckets.
    private static func buckets(of points: [UInt64]) -> (bits: Int, firsts: [UInt32]) {
        var bits = 1
        while bits < 16, 1 << bits < 2 * points.count { bits += 1 }
        var firsts: [UInt32] = []
        firsts.reserveCapacity(1 << bits)
        var index = 0
        for bucket in 0..<(1 << bits) {
            let start = UInt64(bucket) << UInt64(64 - bits)
            while index < points.count, points[index] < start { index += 1 }
            firsts.append(UInt32(index))
        }
        return (bits, firsts)
    }
}

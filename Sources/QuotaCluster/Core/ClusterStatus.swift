import QuotaCore

/// A node's view of the cluster, for `GET /v1/cluster` and `quotactl cluster status`.
public struct ClusterStatus: Hashable, Sendable {
    /// One member as this node sees it.
    public struct Member: Hashable, Sendable {
        /// The member's id.
        public var id: NodeID
        /// Whether this is the reporting node.
        public var isSelf: Bool
        /// `self`, `alive` (heard within the suspicion timeout), `suspected` (heard before, silent since),
        /// `unknown` (never heard by this process) or `other_member_list` (its heartbeats carry another
        /// member list, so they are ignored: fix its `--peers`).
        public var state: String
        /// The member's incarnation as last heard (0 when never heard).
        public var incarnation: UInt64
        /// Milliseconds since anything arrived from it.
        public var lastHeardMillisecondsAgo: Int64?
        /// Milliseconds this node's lease from the member still runs (0 when expired).
        public var leaseRemainingMilliseconds: Int64
        /// Whether the transport reports a connection.
        public var connected: Bool
    }

    /// One shard as this node sees it.
    public struct Shard: Hashable, Sendable {
        /// The shard's index on the ring.
        public var index: Int
        /// The virtual node that starts the shard (`member#i`).
        public var name: String
        /// The latest assignment this node knows.
        public var assignment: ShardAssignment
        /// What this node holds.
        public var role: ShardRole
        /// As owner: whether the follower is up to date.
        public var followerSynced: Bool
        /// Whether this node is moving the shard to a new epoch.
        public var moving: Bool
    }

    /// The reporting node.
    public var node: NodeID
    /// Its incarnation.
    public var incarnation: UInt64
    /// Every member, sorted by id.
    public var members: [Member]
    /// Every shard, in ring order.
    public var shards: [Shard]

    /// Shards this node owns.
    public var ownedCount: Int { self.shards.filter { $0.role == .owner }.count }
    /// Shards this node follows.
    public var followedCount: Int { self.shards.filter { $0.role == .follower }.count }
    /// Shards this node is moving.
    public var movingCount: Int { self.shards.filter(\.moving).count }
    /// The highest epoch of any shard.
    public var highestEpoch: UInt64 { self.shards.map(\.assignment.epoch).max() ?? 0 }
}

extension ClusterNode {
    /// This node's view of the cluster at `now`.
    public func status(now: ClusterTime) -> ClusterStatus {
        let members = self.configuration.ring.members.map { id -> ClusterStatus.Member in
            guard let peer = self.peers[id] else {
                return ClusterStatus.Member(
                    id: id,
                    isSelf: true,
                    state: "self",
                    incarnation: self.incarnation,
                    lastHeardMillisecondsAgo: nil,
                    leaseRemainingMilliseconds: 0,
                    connected: true
                )
            }
            let state =
                peer.otherMemberList
                ? "other_member_list"
                : peer.lastHeard == nil ? "unknown" : self.isAlive(id, now: now) ? "alive" : "suspected"
            return ClusterStatus.Member(
                id: id,
                isSelf: false,
                state: state,
                incarnation: peer.incarnation,
                lastHeardMillisecondsAgo: peer.lastHeard.map { now.monotonic - $0 },
                leaseRemainingMilliseconds: max(0, peer.leaseUntil == .min ? 0 : peer.leaseUntil - now.monotonic),
                connected: peer.connected
            )
        }
        let shards = self.shards.enumerated().map { index, state in
            ClusterStatus.Shard(
                index: index,
                name: self.shardName(index),
                assignment: state.assignment,
                role: state.role,
                followerSynced: state.followerSynced,
                moving: state.move != nil
            )
        }
        return ClusterStatus(node: self.nodeID, incarnation: self.incarnation, members: members, shards: shards)
    }
}

extension ClusterNode {
    /// What this process holds for the shard of `tenant`.
    public func role(of tenant: TenantID) -> ShardRole {
        self.shards[self.configuration.ring.shardIndex(of: tenant)].role
    }
}

extension ClusterNode {
    /// The owner this node knows for the shard of `tenant`, if any.
    public func owner(of tenant: TenantID) -> NodeID? {
        self.shards[self.configuration.ring.shardIndex(of: tenant)].assignment.owner
    }
}

extension ClusterNode {
    /// The shard of `tenant` as this node sees it: its index, its name and the assignment this node knows.
    public func shard(of tenant: TenantID, now: ClusterTime) -> ClusterStatus.Shard {
        self.status(now: now).shards[self.configuration.ring.shardIndex(of: tenant)]
    }
}

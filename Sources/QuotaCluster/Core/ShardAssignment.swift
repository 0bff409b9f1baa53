/// Who serves a shard in an epoch: the fencing token of shard ownership.
///
/// Epochs only grow. A node adopts an assignment with a higher epoch than the one it knows; at an equal
/// epoch it keeps the first one it accepted, so one replica never serves two owners of one epoch.
public struct ShardAssignment: Hashable, Sendable, Codable {
    /// The epoch; 0 means the shard was never assigned in this cluster's lifetime.
    public var epoch: UInt64
    /// The member that admits requests for the shard.
    public var owner: NodeID?
    /// The member that holds the replica and acknowledges every change before the owner answers.
    public var follower: NodeID?

    /// Creates an assignment.
    public init(epoch: UInt64, owner: NodeID?, follower: NodeID?) {
        self.epoch = epoch
        self.owner = owner
        self.follower = follower
    }

    /// The assignment of a shard nobody has taken yet.
    public static let unassigned = ShardAssignment(epoch: 0, owner: nil, follower: nil)
}

/// How far a replica of a shard has come: the epoch and the stream sequence of the latest change of the shard
/// it holds that a follower acknowledged (or, on a follower, that it applied). Versions order replicas' data:
/// a snapshot older than the receiver's own data is refused, whatever its epoch.
public struct DataVersion: Hashable, Comparable, Sendable, Codable {
    /// The epoch the change was made in.
    public var epoch: UInt64
    /// Its sequence in that epoch's owner-to-follower stream.
    public var sequence: UInt64

    /// Creates a version.
    public init(epoch: UInt64, sequence: UInt64) {
        self.epoch = epoch
        self.sequence = sequence
    }

    /// No change yet.
    public static let zero = DataVersion(epoch: 0, sequence: 0)

    public static func < (lhs: DataVersion, rhs: DataVersion) -> Bool {
        lhs.epoch != rhs.epoch ? lhs.epoch < rhs.epoch : lhs.sequence < rhs.sequence
    }
}

/// What this node's current process holds for a shard. A role is only ever gained during the process's own
/// lifetime (a snapshot, a promotion, a hand-off or a cold start), never from what a restarted node loads
/// from disk, so a restart cannot serve stale counters.
public enum ShardRole: String, Hashable, Sendable, Codable {
    /// Nothing live: this node neither serves nor replicates the shard.
    case none
    /// This node admits requests for the shard in the assignment's epoch.
    case owner
    /// This node holds an up-to-date replica in the assignment's epoch.
    case follower
}

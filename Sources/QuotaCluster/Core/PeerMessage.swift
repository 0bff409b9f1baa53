import QuotaCore

/// A message between two members. Every message names the sender's incarnation (a number that grows with
/// each start of a node), so nothing a dead process sent is taken for what its successor says.
public enum PeerMessage: Hashable, Sendable, Codable {
    /// A lease renewal request and liveness signal, sent every heartbeat interval to every peer.
    case heartbeat(Heartbeat)
    /// The answer to a heartbeat: renews the sender's lease from the receiver.
    case heartbeatAck(HeartbeatAck)
    /// The sender's view of every shard: anti-entropy for assignments, and the input of cold starts.
    case report(ShardReports)
    /// Changes an owner applied, for its follower, in the owner's order.
    case replicate(Replication)
    /// A follower's acknowledgement of replicated changes.
    case replicateAck(ReplicationAck)
    /// The complete state of some shards, making the receiver their follower in a new epoch.
    case snapshot(SnapshotOffer)
    /// The answer to a snapshot.
    case snapshotAck(SnapshotAck)
    /// An owner handing a shard to its follower (the shard's preferred owner) in a new epoch.
    case transfer(ShardEpoch)
    /// The answer to a transfer.
    case transferAck(TransferAck)
    /// A cold start asks every member for what its storage holds of some shards.
    case gather(GatherRequest)
    /// A member's answer to a gather: its state of the tenants of those shards.
    case gatherReply(GatherReply)
    /// A client request for a shard the sender does not own.
    case forward(ForwardedRequest)
    /// The owner's answer to a forwarded request.
    case forwardReply(ForwardedReply)
}

/// See ``PeerMessage/heartbeat(_:)``.
public struct Heartbeat: Hashable, Sendable, Codable {
    /// The sender's incarnation.
    public var incarnation: UInt64
    /// The sender's ``ClusterConfiguration/membershipFingerprint``; a mismatch means another member list.
    public var membershipFingerprint: UInt64
    /// The sender's monotonic time when it sent the heartbeat, echoed in the acknowledgement.
    public var sentAt: Int64

    /// Creates a heartbeat.
    public init(incarnation: UInt64, membershipFingerprint: UInt64, sentAt: Int64) {
        self.incarnation = incarnation
        self.membershipFingerprint = membershipFingerprint
        self.sentAt = sentAt
    }
}

/// See ``PeerMessage/heartbeatAck(_:)``.
public struct HeartbeatAck: Hashable, Sendable, Codable {
    /// The acknowledging node's incarnation.
    public var incarnation: UInt64
    /// The incarnation of the heartbeat's sender this acknowledges.
    public var heartbeatIncarnation: UInt64
    /// The heartbeat's `sentAt`.
    public var echoedSentAt: Int64

    /// Creates an acknowledgement.
    public init(incarnation: UInt64, heartbeatIncarnation: UInt64, echoedSentAt: Int64) {
        self.incarnation = incarnation
        self.heartbeatIncarnation = heartbeatIncarnation
        self.echoedSentAt = echoedSentAt
    }
}

/// One shard as a node reports it.
public struct ShardReport: Hashable, Sendable, Codable {
    /// The latest assignment the node knows.
    public var assignment: ShardAssignment
    /// What the node's current process holds.
    public var role: ShardRole

    /// Creates a report.
    public init(assignment: ShardAssignment, role: ShardRole) {
        self.assignment = assignment
        self.role = role
    }
}

/// See ``PeerMessage/report(_:)``.
public struct ShardReports: Hashable, Sendable, Codable {
    /// The sender's incarnation.
    public var incarnation: UInt64
    /// One report per shard, indexed like ``HashRing/shards``.
    public var shards: [ShardReport]

    /// Creates reports.
    public init(incarnation: UInt64, shards: [ShardReport]) {
        self.incarnation = incarnation
        self.shards = shards
    }
}

/// One replicated change: the effects of one request on one shard.
public struct ReplicationEntry: Hashable, Sendable, Codable {
    /// The position in the owner-to-follower stream, from 1, without gaps.
    public var sequence: UInt64
    /// The shard index.
    public var shard: Int
    /// The epoch the owner applied it in.
    public var epoch: UInt64
    /// The effects.
    public var delta: LedgerDelta

    /// Creates an entry.
    public init(sequence: UInt64, shard: Int, epoch: UInt64, delta: LedgerDelta) {
        self.sequence = sequence
        self.shard = shard
        self.epoch = epoch
        self.delta = delta
    }
}

/// See ``PeerMessage/replicate(_:)``.
public struct Replication: Hashable, Sendable, Codable {
    /// The owner's incarnation; a stream belongs to one (owner, follower) pair of incarnations.
    public var ownerIncarnation: UInt64
    /// The follower incarnation the stream is for; another incarnation ignores it.
    public var followerIncarnation: UInt64
    /// Entries in sequence order (a resend may repeat entries the follower already has).
    public var entries: [ReplicationEntry]

    /// Creates a replication message.
    public init(ownerIncarnation: UInt64, followerIncarnation: UInt64, entries: [ReplicationEntry]) {
        self.ownerIncarnation = ownerIncarnation
        self.followerIncarnation = followerIncarnation
        self.entries = entries
    }
}

/// See ``PeerMessage/replicateAck(_:)``.
public struct ReplicationAck: Hashable, Sendable, Codable {
    /// The owner incarnation of the acknowledged stream.
    public var ownerIncarnation: UInt64
    /// The follower's incarnation.
    public var followerIncarnation: UInt64
    /// Every entry up to this sequence was processed: applied, or refused when listed in `refused`.
    public var upTo: UInt64
    /// Entries the follower refused, because it does not follow that shard in that epoch: every refusal among
    /// the latest 4096 sequences, so a lost or reordered acknowledgement never makes a refused entry look
    /// acknowledged.
    public var refused: [UInt64]

    /// Creates an acknowledgement.
    public init(ownerIncarnation: UInt64, followerIncarnation: UInt64, upTo: UInt64, refused: [UInt64]) {
        self.ownerIncarnation = ownerIncarnation
        self.followerIncarnation = followerIncarnation
        self.upTo = upTo
        self.refused = refused
    }
}

/// A shard in an epoch with its intended owner and follower.
public struct ShardEpoch: Hashable, Sendable, Codable {
    /// The shard index.
    public var shard: Int
    /// The assignment proposed or accepted.
    public var assignment: ShardAssignment

    /// Creates a value.
    public init(shard: Int, assignment: ShardAssignment) {
        self.shard = shard
        self.assignment = assignment
    }
}

/// See ``PeerMessage/snapshot(_:)``.
public struct SnapshotOffer: Hashable, Sendable, Codable {
    /// The offering owner's incarnation.
    public var ownerIncarnation: UInt64
    /// The shards and their new assignments (the sender owner, the receiver follower).
    public var shards: [ShardEpoch]
    /// The version of the sender's data of each shard, in the order of `shards`.
    public var versions: [DataVersion]
    /// The complete state of the tenants of those shards.
    public var snapshot: TenantSnapshot

    /// Creates an offer.
    public init(ownerIncarnation: UInt64, shards: [ShardEpoch], versions: [DataVersion], snapshot: TenantSnapshot) {
        self.ownerIncarnation = ownerIncarnation
        self.shards = shards
        self.versions = versions
        self.snapshot = snapshot
    }
}

/// See ``PeerMessage/snapshotAck(_:)``.
public struct SnapshotAck: Hashable, Sendable, Codable {
    /// Shards the receiver now follows in the offered epoch.
    public var accepted: [ShardEpoch]
    /// Shards it refused, each with the assignment it knows (a higher or competing epoch).
    public var refused: [ShardEpoch]

    /// Creates an acknowledgement.
    public init(accepted: [ShardEpoch], refused: [ShardEpoch]) {
        self.accepted = accepted
        self.refused = refused
    }
}

/// See ``PeerMessage/transferAck(_:)``.
public struct TransferAck: Hashable, Sendable, Codable {
    /// The shard and the assignment the receiver now holds (the transferred one when accepted).
    public var shard: ShardEpoch
    /// Whether the receiver took the shard over.
    public var accepted: Bool

    /// Creates an acknowledgement.
    public init(shard: ShardEpoch, accepted: Bool) {
        self.shard = shard
        self.accepted = accepted
    }
}

/// See ``PeerMessage/forward(_:)``.
public struct ForwardedRequest: Hashable, Sendable, Codable {
    /// The forwarding node's id for the request, echoed in the reply.
    public var id: UInt64
    /// The forwarding node's incarnation: with `id`, it names the request once, so a duplicate is not served
    /// twice.
    public var incarnation: UInt64
    /// The request.
    public var operation: ClusterOperation

    /// Creates a forwarded request.
    public init(id: UInt64, incarnation: UInt64, operation: ClusterOperation) {
        self.id = id
        self.incarnation = incarnation
        self.operation = operation
    }
}

/// See ``PeerMessage/forwardReply(_:)``.
public struct ForwardedReply: Hashable, Sendable, Codable {
    /// The id of the forwarded request.
    public var id: UInt64
    /// The owner's reply.
    public var reply: ClusterReply

    /// Creates a reply.
    public init(id: UInt64, reply: ClusterReply) {
        self.id = id
        self.reply = reply
    }
}

/// See ``PeerMessage/gather(_:)``.
public struct GatherRequest: Hashable, Sendable, Codable {
    /// The gathering node's id for the request, echoed in the replies.
    public var id: UInt64
    /// The shard indexes.
    public var shards: [Int]

    /// Creates a request.
    public init(id: UInt64, shards: [Int]) {
        self.id = id
        self.shards = shards
    }
}

/// See ``PeerMessage/gatherReply(_:)``.
public struct GatherReply: Hashable, Sendable, Codable {
    /// The id of the gather.
    public var id: UInt64
    /// The sender's state of the tenants of the gathered shards, with their stored events.
    public var snapshot: TenantSnapshot

    /// Creates a reply.
    public init(id: UInt64, snapshot: TenantSnapshot) {
        self.id = id
        self.snapshot = snapshot
    }
}

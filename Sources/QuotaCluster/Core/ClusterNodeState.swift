import DequeModule
import QuotaCore

/// What a node knows about one shard.
struct ShardState: Sendable {
    /// The latest assignment this node knows.
    var assignment = ShardAssignment.unassigned
    /// What this process holds in `assignment.epoch`.
    var role = ShardRole.none
    /// As owner: the follower acknowledged the snapshot (or the hand-off) of this epoch.
    var followerSynced = false
    /// As follower: the owner's incarnation this replica follows.
    var ownerIncarnation: UInt64 = 0
    /// As owner: the stream sequence of the last change of this shard sent to the follower.
    var lastSequence: UInt64 = 0
    /// A change of assignment this node drives.
    var move: ShardMove?
    /// The version of this replica's data of the shard: acknowledged (owner) or applied (follower) changes.
    var version = DataVersion.zero
    /// As owner: the version of the latest change applied, acknowledged or not (what a snapshot holds).
    var applied = DataVersion.zero
}

/// A change of a shard's assignment in progress; the shard admits nothing meanwhile.
struct ShardMove: Sendable {
    enum Kind: Sendable {
        /// Bringing `target` up to date with a snapshot, to make it the follower in `epoch`.
        case sync
        /// Handing the shard to `target`, the current follower, which becomes owner in `epoch`.
        case transfer
        /// A cold start collecting every member's stored state of the shard before syncing `target`.
        case gather
    }

    var kind: Kind
    var target: NodeID
    var epoch: UInt64
    /// When the move (or its last attempt) started.
    var since: Int64
    /// A snapshot collection or a transfer message is on its way.
    var inFlight: Bool
}

/// What a node knows about a peer.
struct PeerState: Sendable {
    /// The peer's incarnation (0 until heard from).
    var incarnation: UInt64 = 0
    /// When any message from the current incarnation last arrived (monotonic ms).
    var lastHeard: Int64?
    /// Until when this node holds the peer's lease (own monotonic ms).
    var leaseUntil: Int64 = .min
    /// Until when this node promised not to take the peer's shards over (own monotonic ms).
    var grantedUntil: Int64 = .min
    /// The peer's latest shard reports from its current incarnation.
    var reports: [ShardReport]?
    /// Whether the transport reports a connection.
    var connected = false
    /// Whether the peer's last heartbeat came with another member list (it is ignored until it agrees).
    var otherMemberList = false
    /// Ids of the forwarded requests of the peer's current incarnation served so far, above `forwardFloor`.
    var servedForwards: Set<UInt64> = []
    /// Forwarded requests with this id or a lower one are not served (too old to tell from a duplicate).
    var forwardFloor: UInt64 = 0

    /// How many of the most recent forwarded ids are remembered.
    static let forwardWindow: UInt64 = 1024

    /// Records a forwarded request's id; `false` when it was served already (a duplicate) or is too old.
    mutating func firstForward(_ id: UInt64) -> Bool {
        guard id > self.forwardFloor, self.servedForwards.insert(id).inserted else { return false }
        if self.servedForwards.count > 2 * Int(Self.forwardWindow), let highest = self.servedForwards.max() {
            self.forwardFloor = highest - Self.forwardWindow
            self.servedForwards = self.servedForwards.filter { $0 > self.forwardFloor }
        }
        return true
    }
}

/// The owner side of a replication stream to one follower incarnation.
struct ReplicationLink: Sendable {
    var followerIncarnation: UInt64
    var nextSequence: UInt64 = 1
    var acknowledged: UInt64 = 0
    /// Sent, not yet acknowledged.
    var unacknowledged: Deque<ReplicationEntry> = []
    /// Not yet sent.
    var outbound: [ReplicationEntry] = []
    /// When unacknowledged entries were last sent.
    var lastSent: Int64 = .min

    /// Queues `delta`, applied to `shard` in `epoch`, as the next entry; returns its sequence.
    mutating func enqueue(_ delta: LedgerDelta, shard: Int, epoch: UInt64) -> UInt64 {
        let sequence = self.nextSequence
        self.nextSequence += 1
        self.outbound.append(ReplicationEntry(sequence: sequence, shard: shard, epoch: epoch, delta: delta))
        return sequence
    }
}

/// The follower side of a replication stream from one owner.
struct InboundLink: Sendable {
    var ownerIncarnation: UInt64
    var applied: UInt64 = 0
    /// The sequences refused among the latest ``refusalWindow`` processed, repeated in every acknowledgement.
    var refused: [UInt64] = []

    /// How far back refusals are repeated.
    static let refusalWindow: UInt64 = 4096
}

/// Where an answer goes.
enum ReplyTarget: Hashable, Sendable {
    case client(ClientToken)
    case peer(NodeID, UInt64)
}

/// A decided answer held until the follower acknowledged the changes it depends on.
struct Waiter: Sendable {
    var target: ReplyTarget
    var shard: Int
    var sequence: UInt64
    var deadline: Int64
    var reply: ClusterReply
}

/// A request forwarded to its owner.
struct PendingForward: Sendable {
    var token: ClientToken
    var owner: NodeID
    var deadline: Int64
}

/// A snapshot waiting for its stored events.
struct PendingCollection: Sendable {
    var target: NodeID
    var shards: [ShardEpoch]
    var snapshot: TenantSnapshot
    /// For an answer to a gather: its id (the snapshot goes to `target` as a ``GatherReply``).
    var gather: UInt64?
}

/// A cold start's gather waiting for the members' replies.
struct PendingGather: Sendable {
    var shards: [Int]
    var awaiting: Set<NodeID>
    var replies: [NodeID: TenantSnapshot] = [:]
}

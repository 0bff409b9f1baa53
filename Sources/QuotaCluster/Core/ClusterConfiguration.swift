import QuotaCore

/// What one node of the cluster needs to know: who it is, the members, the ring's shape and the timings.
///
/// Every member must run with the same member list and ring parameters: shards are numbered by their index
/// on the ring, and peers with another ``membershipFingerprint`` are refused.
public struct ClusterConfiguration: Sendable {
    /// This node.
    public let nodeID: NodeID
    /// The ring over every member (this node included).
    public let ring: HashRing
    /// The protocol's timings.
    public let timings: ClusterTimings
    /// XXH64 of the sorted member ids and the ring parameters, carried in heartbeats.
    public let membershipFingerprint: UInt64
    /// Known defects switched on deliberately, for the simulator's tests only. Always empty in production.
    public var defects: ClusterDefects = []

    /// Creates a configuration.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/invalidArgument`` when `nodeID` is not among `members`, or the
    ///   ring refuses the members (see ``HashRing/init(members:virtualNodesPerMember:probes:)``).
    public init(
        nodeID: NodeID,
        members: [NodeID],
        virtualNodesPerMember: Int = HashRing.defaultVirtualNodesPerMember,
        timings: ClusterTimings
    ) throws {
        guard members.contains(nodeID) else {
            throw QuotaError.invalidArgument("node '\(nodeID)' is not in the member list")
        }
        self.nodeID = nodeID
        self.ring = try HashRing(members: members, virtualNodesPerMember: virtualNodesPerMember)
        self.timings = timings
        let text = self.ring.members.map(\.rawValue).joined(separator: ",") + "|\(virtualNodesPerMember)"
        self.membershipFingerprint = XXHash64.hash(text)
    }

    /// The members other than this node, sorted by id.
    public var peers: [NodeID] { self.ring.members.filter { $0 != self.nodeID } }
}

/// Defects the cluster core can be told to have, so the simulator's tests can show that its checkers catch them.
///
/// Test-only: nothing in production sets one. Each breaks one rule of the protocol described in docs/cluster.md.
public struct ClusterDefects: OptionSet, Hashable, Sendable {
    /// The raw bits.
    public let rawValue: UInt32

    /// Creates a set from raw bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The owner answers as soon as it applied a change, before its follower acknowledged it.
    public static let answerBeforeReplication = ClusterDefects(rawValue: 1 << 0)
    /// A follower promotes itself once its owner is silent for two heartbeat intervals, as if the owner had
    /// failed (it syncs another member), without waiting for the suspicion timeout or for the promise it gave
    /// the owner's lease to expire.
    public static let promoteWithoutLease = ClusterDefects(rawValue: 1 << 1)
}

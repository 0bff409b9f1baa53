import QuotaCluster
import QuotaCore

/// Settings of a quota node's runtime.
public struct NodeConfiguration: Sendable {
    /// This node's id, used in usage event ids and `served_by`. Default `n1`.
    public var nodeID: String
    /// The domain settings (unknown metrics, idempotency retention, unflushed bound).
    public var ledger: LedgerConfiguration
    /// How often the write-behind flusher writes to storage. Default 100 ms.
    public var flushInterval: Duration
    /// Pending entries that wake the flusher before the interval ends, so that batches stay near this size.
    /// Default 10,000.
    public var flushBatchEntries: Int
    /// Every member of the cluster with its binary-protocol address, this node included; empty for a
    /// single node. Default empty.
    public var members: [MemberAddress]
    /// The cluster protocol's timings. Default ``QuotaCluster/ClusterTimings/init(heartbeatIntervalMilliseconds:suspicionTimeoutMilliseconds:leaseMilliseconds:clockDriftAllowanceMilliseconds:requestDeadlineMilliseconds:reportIntervalMilliseconds:syncTimeoutMilliseconds:)``'s defaults.
    public var clusterTimings: ClusterTimings

    /// Creates a configuration; every parameter has the default described on its property.
    ///
    /// - Throws: ``QuotaError/Code/invalidArgument`` when `nodeID` is not a valid `NodeID`
    ///   (1…64 bytes of letters, digits, `-`, `_`, `.`), the interval is not positive, the batch is empty,
    ///   or `members` is not empty and does not list `nodeID` exactly once, or lists a member twice.
    public init(
        nodeID: String = "n1",
        ledger: LedgerConfiguration = LedgerConfiguration(),
        flushInterval: Duration = .milliseconds(100),
        flushBatchEntries: Int = 10_000,
        members: [MemberAddress] = [],
        clusterTimings: ClusterTimings? = nil
    ) throws {
        let id = try NodeID(nodeID)
        if !members.isEmpty {
            try MemberAddress.checkDistinct(members)
            guard members.contains(where: { $0.id == id }) else {
                throw QuotaError.invalidArgument("node '\(nodeID)' is not in the peer list")
            }
        }
        guard flushInterval > .zero else { throw QuotaError.invalidArgument("flush interval must be positive") }
        guard flushBatchEntries > 0 else { throw QuotaError.invalidArgument("flush batch size must be positive") }
        self.nodeID = nodeID
        self.ledger = ledger
        self.flushInterval = flushInterval
        self.flushBatchEntries = flushBatchEntries
        self.members = members
        self.clusterTimings = try clusterTimings ?? ClusterTimings()
    }

    /// The cluster configuration of this node: its members (itself alone for a single node) and timings.
    public func clusterConfiguration() throws -> ClusterConfiguration {
        let id = try NodeID(self.nodeID)
        let members = self.members.isEmpty ? [id] : self.members.map(\.id)
        return try ClusterConfiguration(nodeID: id, members: members, timings: self.clusterTimings)
    }
}

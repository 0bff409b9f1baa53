import QuotaCore

/// A runtime's handle on a client request whose answer the cluster core will give, now or later.
public struct ClientToken: Hashable, Sendable {
    /// The runtime's number for the request.
    public let value: UInt64

    /// Creates a token.
    public init(_ value: UInt64) { self.value = value }
}

/// Everything that can happen to a node, as the runtime (or the simulator) tells the cluster core.
public enum ClusterInput: Sendable {
    /// A client asked something.
    case request(ClientToken, ClusterOperation)
    /// A peer's message arrived.
    case message(from: NodeID, PeerMessage)
    /// The periodic timer fired (the runtime fires it every few tens of milliseconds): heartbeats, reports,
    /// deadlines, failover, rebalancing.
    case tick
    /// The connection to a peer came up or went down.
    case connectionChanged(NodeID, up: Bool)
    /// The runtime read the stored usage events a ``ClusterOutput/collectSnapshot(_:)`` asked for.
    case snapshotCollected(id: UInt64, events: [UsageEvent])
    /// Send what is batched for peers now (the runtime calls it after a burst of requests).
    case flushOutbound
}

/// What the cluster core asks the runtime to do.
public enum ClusterOutput: Sendable {
    /// Send a message to a peer (best effort; the core retries what matters).
    case send(to: NodeID, PeerMessage)
    /// Answer a client request.
    case reply(ClientToken, ClusterReply)
    /// Flush the write-behind buffer, then read the stored usage events listed, and hand them back with
    /// ``ClusterInput/snapshotCollected(id:events:)``.
    case collectSnapshot(SnapshotCollection)
}

/// Stored usage events a snapshot needs: those of each (tenant, metric) in the period starting at the
/// given instant.
public struct SnapshotCollection: Hashable, Sendable {
    /// The id to hand back.
    public var id: UInt64
    /// The periods whose events to read.
    public var periods: [UsageRecord]

    /// Creates a collection request.
    public init(id: UInt64, periods: [UsageRecord]) {
        self.id = id
        self.periods = periods
    }
}

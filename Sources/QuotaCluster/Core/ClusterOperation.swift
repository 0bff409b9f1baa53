import QuotaCore

/// A client request as the cluster core sees it, already validated by the API that received it.
public enum ClusterOperation: Hashable, Sendable, Codable {
    /// Consume usage (``QuotaCore/QuotaLedger/consume(_:now:)``).
    case consume(UsageRequest)
    /// Check usage without applying it.
    case check(UsageRequest)
    /// Give usage back.
    case release(UsageRequest)
    /// Every metric of a tenant in its current period.
    case status(TenantID)
    /// Set (create or replace) a limit.
    case setLimit(Limit)
    /// Remove the limit of (tenant, metric).
    case removeLimit(TenantID, MetricCode)
    /// The limits of a tenant.
    case limits(TenantID)

    /// The tenant the operation is about: it decides the shard.
    public var tenant: TenantID {
        switch self {
        case .consume(let request), .check(let request), .release(let request): request.tenant
        case .status(let tenant), .limits(let tenant), .removeLimit(let tenant, _): tenant
        case .setLimit(let limit): limit.tenant
        }
    }
}

/// The answer to a ``ClusterOperation``.
public struct ClusterReply: Hashable, Sendable, Codable {
    /// What was decided or read.
    public enum Outcome: Hashable, Sendable, Codable {
        /// The decision of a consume, check or release.
        case decision(Decision)
        /// A tenant's status.
        case status([MetricStatus])
        /// A tenant's limits, ordered by metric.
        case limits([Limit])
        /// The limit was set or removed.
        case done
        /// The request failed; nothing was applied unless the error is ``QuotaCore/QuotaError/Code/unavailable``
        /// after the owner applied it (then the outcome is indeterminate: retry with the idempotency key).
        case failure(QuotaError)
    }

    /// The outcome.
    public var outcome: Outcome
    /// The node that decided, or the node that gave up (for failures it produced itself).
    public var servedBy: NodeID

    /// Creates a reply.
    public init(_ outcome: Outcome, servedBy: NodeID) {
        self.outcome = outcome
        self.servedBy = servedBy
    }
}

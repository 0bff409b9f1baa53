import QuotaCluster
import QuotaCore
import Synchronization

/// One (tenant, metric, period) of this node's storage, checked for `quotactl reconcile`.
public struct ReconcileRow: Hashable, Sendable {
    /// What storage holds.
    public var summary: StoredPeriodSummary
    /// The audit level of the metric's limit (`full` when the metric has none): with `aggregate`, no events
    /// are stored and the record alone is the usage.
    public var audit: AuditLevel
    /// What this node holds for the tenant's shard: `owner` and `follower` rows must agree across replicas.
    public var role: ShardRole

    /// Whether the record and the events agree: for `full` audit, the record's usage equals the events' sum.
    public var isConsistent: Bool {
        self.audit == .aggregate || (self.summary.recordUsage ?? 0) == self.summary.eventSum
    }
}

extension QuotaEngine {
    /// Every stored (tenant, metric, period) with its record, events, audit level and this node's role,
    /// after flushing pending changes.
    ///
    /// - Throws: whatever storage throws.
    public func reconciliation(tenant: TenantID? = nil) async throws -> [ReconcileRow] {
        await self.flush()
        let summaries = try await self.store.periodSummaries(tenant: tenant)
        return self.state.withLock { state in
            summaries.map { summary in
                let limit = state.node.ledger.limit(tenant: summary.tenant, metric: summary.metric)
                return ReconcileRow(
                    summary: summary,
                    audit: limit?.audit ?? .full,
                    role: state.node.role(of: summary.tenant)
                )
            }
        }
    }
}

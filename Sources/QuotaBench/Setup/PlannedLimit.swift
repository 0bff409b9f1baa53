/// A hard limit the bench sets on one tenant before a run.
public struct PlannedLimit: Hashable, Sendable {
    /// The tenant.
    public var tenant: String
    /// The metric, ``BenchConfiguration/metric``.
    public var metric: String
    /// The allowance per period, in units of the metric.
    public var limit: Int64
    /// The period.
    public var period: LimitPeriod
    /// The audit level.
    public var audit: SetupAudit

    /// Creates a planned limit.
    public init(tenant: String, metric: String, limit: Int64, period: LimitPeriod, audit: SetupAudit) {
        self.tenant = tenant
        self.metric = metric
        self.limit = limit
        self.period = period
        self.audit = audit
    }

    /// One hard limit per tenant of `tenants`, with its planned value.
    public static func plan(_ tenants: TenantTable, period: LimitPeriod, audit: SetupAudit) -> [PlannedLimit] {
        zip(tenants.names, tenants.limits).map { name, limit in
            PlannedLimit(tenant: name, metric: BenchConfiguration.metric, limit: limit, period: period, audit: audit)
        }
    }
}

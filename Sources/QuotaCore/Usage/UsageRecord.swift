/// The counter of one (tenant, metric, period): the usage accumulated in `[periodStart, periodEnd)`.
///
/// Records of past periods are kept as usage history; a record is unique per (tenant, metric, periodStart).
public struct UsageRecord: Hashable, Sendable {
    /// The tenant.
    public let tenant: TenantID
    /// The metric.
    public let metric: MetricCode
    /// The period's first instant (inclusive).
    public let periodStart: Timestamp
    /// The period's reset time (exclusive).
    public let periodEnd: Timestamp
    /// The usage in the period, in the metric's units; never negative.
    public let usage: Int64
    /// When the usage last changed.
    public let updatedAt: Timestamp

    /// Creates a record.
    public init(
        tenant: TenantID,
        metric: MetricCode,
        periodStart: Timestamp,
        periodEnd: Timestamp,
        usage: Int64,
        updatedAt: Timestamp
    ) {
        self.tenant = tenant
        self.metric = metric
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.usage = usage
        self.updatedAt = updatedAt
    }
}

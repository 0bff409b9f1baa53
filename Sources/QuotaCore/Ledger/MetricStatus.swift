/// The state of one metric of a tenant in its current period, as `status` reports it.
public struct MetricStatus: Hashable, Sendable {
    /// The metric.
    public let metric: MetricCode
    /// Usage in the current period, in the metric's units.
    public let usage: Int64
    /// The limit, or `nil` for a metric without one.
    public let limit: Int64?
    /// `limit - usage` clamped to `0…limit`, or `nil` without a limit.
    public let remaining: Int64?
    /// The policy in force (`none` without a limit).
    public let enforcement: Enforcement
    /// The period unit in force.
    public let periodUnit: PeriodUnit
    /// The current period.
    public let period: Period
    /// Whether usage is above the limit.
    public let exceeded: Bool
}

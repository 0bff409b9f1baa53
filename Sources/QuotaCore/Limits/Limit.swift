/// A tenant's allowance for one metric: a value per period and an enforcement policy.
public struct Limit: Hashable, Sendable {
    /// The tenant the limit belongs to.
    public let tenant: TenantID
    /// The metric it limits.
    public let metric: MetricCode
    /// The allowance per period, in the metric's units; at least 0.
    public let value: Int64
    /// How periods are laid out (unit, billing anchor, time zone).
    public let period: PeriodSpec
    /// What happens when usage would pass `value`.
    public let enforcement: Enforcement
    /// Whether every usage event is stored or only the counters.
    public let audit: AuditLevel

    /// Creates a limit.
    ///
    /// - Throws: ``QuotaError/Code/invalidArgument`` when `value` is negative.
    public init(
        tenant: TenantID,
        metric: MetricCode,
        value: Int64,
        period: PeriodSpec,
        enforcement: Enforcement,
        audit: AuditLevel = .full
    ) throws {
        guard value >= 0 else { throw QuotaError.invalidArgument("limit must be 0 or more, got \(value)") }
        self.tenant = tenant
        self.metric = metric
        self.value = value
        self.period = period
        self.enforcement = enforcement
        self.audit = audit
    }

    /// Creates a limit whose value is known to be 0 or more (one that a ledger stored).
    init(
        validatedTenant tenant: TenantID,
        metric: MetricCode,
        value: Int64,
        period: PeriodSpec,
        enforcement: Enforcement,
        audit: AuditLevel
    ) {
        self.tenant = tenant
        self.metric = metric
        self.value = value
        self.period = period
        self.enforcement = enforcement
        self.audit = audit
    }
}

/// A ``Limit`` without its tenant and metric, as a ledger stores it: the value, the interned period layout and
/// the policies (16 bytes instead of about 110).
struct LimitTerms: Sendable {
    /// The allowance per period, in the metric's units.
    let value: Int64
    /// The period layout, an index in the ledger's ``PeriodSpecTable``.
    let spec: PeriodSpecTable.Index
    let enforcement: Enforcement
    let audit: AuditLevel

    /// Whether a consume that takes usage to `proposed` is allowed: only a `hard` limit refuses, and only above
    /// its value.
    func allows(_ proposed: Int64) -> Bool { self.enforcement != .hard || proposed <= self.value }

    /// The public form, for `tenant` and `metric`, with the layout from `specs`.
    func limit(tenant: TenantID, metric: MetricCode, specs: PeriodSpecTable) -> Limit {
        Limit(
            validatedTenant: tenant,
            metric: metric,
            value: self.value,
            period: specs[self.spec],
            enforcement: self.enforcement,
            audit: self.audit
        )
    }
}

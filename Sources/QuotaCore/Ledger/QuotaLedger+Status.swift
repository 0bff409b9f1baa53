extension QuotaLedger {
    /// Every metric of a tenant — those with a limit and those with usage — in its current period,
    /// ordered by metric.
    public mutating func status(of tenant: TenantID, now: Timestamp) -> [MetricStatus] {
        guard let state = self.tenants[tenant] else { return [] }
        let metrics = Set(state.limits.keys).union(state.counters.keys).sorted()
        return metrics.map { metric in
            let limit = state.limits[metric]
            let spec = limit?.period ?? self.configuration.unknownMetricPeriod
            let counter: Counter
            if let existing = state.counters[metric] {
                counter = existing.current(spec: spec, now: now)
                self.tenants[tenant]?.counters[metric] = counter
            } else {
                counter = Counter.fresh(spec: spec, now: now)
            }
            return MetricStatus(
                metric: metric,
                usage: counter.usage,
                limit: limit?.value,
                remaining: limit.map { min($0.value, max(0, $0.value - counter.usage)) },
                enforcement: limit?.enforcement ?? .none,
                periodUnit: spec.unit,
                period: counter.period,
                exceeded: limit.map { counter.usage > $0.value } ?? false
            )
        }
    }
}

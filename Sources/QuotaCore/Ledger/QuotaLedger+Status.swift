extension QuotaLedger {
    /// Every metric of a tenant — those with a limit and those with usage — in its current period,
    /// ordered by metric.
    public mutating func status(of tenant: TenantID, now: Timestamp) -> [MetricStatus] {
        guard let state = self.tenants[tenant] else { return [] }
        let entries = state.entries.filter { $0.limit != nil || $0.counter != nil }.sorted { $0.metric < $1.metric }
        return entries.map { entry in
            let limit = entry.limit
            let specIndex = limit?.spec ?? self.unknownMetricSpec
            let spec = self.periodSpecs[specIndex]
            let counter: Counter
            if let existing = entry.counter {
                counter = existing.current(spec: specIndex, spec, now: now)
                self.tenants[tenant]?.setCounter(counter, of: entry.metric)
            } else {
                counter = Counter.fresh(spec: specIndex, spec, now: now)
            }
            return MetricStatus(
                metric: entry.metric,
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

extension QuotaLedger {
    /// Every metric of a tenant — those with a limit and those with usage — in its current period,
    /// ordered by metric.
    public mutating func status(of tenant: TenantID, now: Timestamp) -> [MetricStatus] {
        guard let slot = self.tenants.slot(of: tenant) else { return [] }
        let state = self.tenants[slot]
        let positions = state.entries.indices.filter {
            state.entries[$0].limit != nil || state.entries[$0].counter != nil
        }
        .sorted { state.entries[$0].metric < state.entries[$1].metric }
        return positions.map { position in
            let entry = state.entries[position]
            let limit = entry.limit
            let specIndex = limit?.spec ?? self.unknownMetricSpec
            let spec = self.periodSpecs[specIndex]
            let counter: Counter
            if let existing = entry.counter {
                counter = existing.current(spec: specIndex, spec, now: now)
                self.storeCounter(counter, at: EntryLocation(tenant: slot, position: position), changed: false)
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

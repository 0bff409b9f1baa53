extension QuotaLedger {
    /// Stores `counter` as the counter of the entry at `location`.
    ///
    /// A `changed` counter (a consume, a release, a replicated value) is written behind: its usage record is
    /// replaced where the buffer already holds it, otherwise the counter is marked dirty and its record built when
    /// the next batch is taken. A dirty counter that moves to another period (rolling, or a replicated value) first
    /// hands the record of the period it leaves to the buffer, since the counter no longer holds it.
    mutating func storeCounter(_ counter: Counter, at location: EntryLocation, changed: Bool) {
        var isDirty = self.tenants[location.tenant].entries[location.position].isDirty
        if isDirty, let previous = self.tenants[location.tenant].entries[location.position].counter,
            previous.period != counter.period
        {
            let metric = self.tenants[location.tenant].entries[location.position].metric
            self.writeBehind.add(self.usageRecord(of: previous, tenant: location.tenant, metric: metric))
            self.writeBehind.removeDirtyCounter()
            isDirty = false
        }
        if changed, !isDirty {
            let replaced =
                self.writeBehind.holdsRecords
                && self.writeBehind.replacePending(
                    self.usageRecord(
                        of: counter,
                        tenant: location.tenant,
                        metric: self.tenants[location.tenant].entries[location.position].metric
                    )
                )
            if !replaced {
                isDirty = true
                self.writeBehind.addDirtyCounter(at: location)
            }
        }
        self.tenants[location.tenant].setCounter(counter, at: location.position, isDirty: isDirty)
    }

    /// The usage records of the dirty counters, in the order they became dirty; the counters are cleaned.
    mutating func takeRecordsOfDirtyCounters() -> [UsageRecord] {
        var records: [UsageRecord] = []
        if self.writeBehind.dirtyCount > 0 {
            records.reserveCapacity(self.writeBehind.dirtyCount)
            for location in self.writeBehind.dirtyCounters {
                let entry = self.tenants[location.tenant].entries[location.position]
                // A location listed twice, or cleaned since it was listed, has no record to give.
                guard entry.isDirty, let counter = entry.counter else { continue }
                self.tenants[location.tenant].markClean(at: location.position)
                self.writeBehind.removeDirtyCounter()
                records.append(self.usageRecord(of: counter, tenant: location.tenant, metric: entry.metric))
            }
        }
        self.writeBehind.clearDirtyCounters()
        return records
    }

    /// Moves the usage records of the dirty counters into the buffer's pending records and cleans the counters:
    /// before work on the pending records themselves (a reset drops its tenant's, a failed batch merges under them).
    mutating func cleanDirtyCounters() {
        for record in self.takeRecordsOfDirtyCounters() { self.writeBehind.add(record) }
    }

    /// The usage record of `counter`, the counter of `metric` of the tenant in `slot`.
    func usageRecord(of counter: Counter, tenant slot: TenantTable.Slot, metric: MetricCode) -> UsageRecord {
        UsageRecord(
            tenant: self.tenants.id(of: slot),
            metric: metric,
            periodStart: counter.period.start,
            periodEnd: counter.period.end,
            usage: counter.usage,
            updatedAt: counter.updatedAt
        )
    }
}

import DequeModule

extension QuotaLedger {
    // MARK: Capture (owner)

    /// Starts collecting the effects of the following operations into a ``LedgerDelta``.
    public mutating func beginCapture() { self.capture = LedgerDelta() }

    /// Stops collecting and returns the effects since ``beginCapture()`` (empty when nothing changed).
    public mutating func endCapture() -> LedgerDelta {
        defer { self.capture = nil }
        return self.capture ?? LedgerDelta()
    }

    // MARK: Apply (follower)

    /// Applies an owner's delta to this replica: limits, counters at the owner's absolute values, the owner's
    /// usage events (renumbered in this node's sequence; the event ids stay the owner's) and idempotency keys.
    /// Everything is written behind like local changes. The unflushed bound is not applied: a replica must
    /// not refuse what its owner already decided.
    public mutating func applyReplicated(_ delta: LedgerDelta) {
        for change in delta.limitChanges {
            switch change {
            case .set(let limit):
                self.store(limit)
            case .removed(let tenant, let metric):
                if let slot = self.tenants.slot(of: tenant) { self.tenants[slot].setLimit(nil, of: metric) }
            }
            self.writeBehind.add(change)
        }
        for record in delta.records { self.storeReplicated(record) }
        for event in delta.events { self.storeReplicated(event) }
        for entry in delta.idempotency { self.remember(entry, persist: true) }
    }

    // MARK: Snapshots

    /// Every tenant this ledger holds state for, ordered.
    public var tenantIDs: [TenantID] {
        let withKeys = self.idempotencyOrder.map(\.tenant)
        return Set(self.tenants.tenantIDs).union(withKeys).sorted()
    }

    /// The current state of `tenants` (limits, current counters, idempotency keys) without events.
    public func snapshot(of tenants: [TenantID]) -> TenantSnapshot {
        let wanted = Set(tenants)
        var snapshot = TenantSnapshot()
        for tenant in tenants.sorted() {
            guard let state = self.tenants[tenant] else { continue }
            let entries = state.entries.sorted { $0.metric < $1.metric }
            snapshot.limits += entries.compactMap { entry in
                entry.limit?.limit(tenant: tenant, metric: entry.metric, specs: self.periodSpecs)
            }
            for entry in entries {
                guard let counter = entry.counter else { continue }
                snapshot.records.append(
                    UsageRecord(
                        tenant: tenant,
                        metric: entry.metric,
                        periodStart: counter.period.start,
                        periodEnd: counter.period.end,
                        usage: counter.usage,
                        updatedAt: counter.updatedAt
                    )
                )
            }
        }
        for scope in self.idempotencyOrder where wanted.contains(scope.tenant) {
            if let entry = self.idempotency[scope] { snapshot.idempotency.append(entry) }
        }
        return snapshot
    }

    /// Replaces the state of `replacing` (and of every tenant in the snapshot) with the snapshot, in memory
    /// and — through ``TenantReset`` entries written behind first — in storage.
    ///
    /// Storage keeps the periods before the replaced ones (history); the replaced periods are those of the
    /// snapshot's records and of this replica's own counters.
    public mutating func installSnapshot(_ snapshot: TenantSnapshot, replacing: [TenantID], now: Timestamp) {
        // The resets drop the pending records of their tenants, so those of dirty counters must be pending first.
        self.cleanDirtyCounters()
        var affected = Set(replacing)
        affected.formUnion(snapshot.records.map(\.tenant))
        affected.formUnion(snapshot.limits.map(\.tenant))
        affected.formUnion(snapshot.idempotency.map(\.tenant))
        var periods: [TenantID: [MetricCode: Timestamp]] = [:]
        for tenant in affected {
            for entry in self.tenants[tenant]?.entries ?? [] {
                guard let counter = entry.counter else { continue }
                periods[tenant, default: [:]][entry.metric] = counter.period.start
            }
        }
        for record in snapshot.records {
            let earliest = min(periods[record.tenant]?[record.metric] ?? record.periodStart, record.periodStart)
            periods[record.tenant, default: [:]][record.metric] = earliest
        }
        for tenant in affected.sorted() {
            self.tenants.remove(tenant)
            let metricPeriods = (periods[tenant] ?? [:]).sorted { $0.key < $1.key }.map {
                TenantReset.MetricPeriod(metric: $0.key, periodStart: $0.value)
            }
            self.writeBehind.add(TenantReset(tenant: tenant, periods: metricPeriods))
        }
        self.forgetIdempotencyKeys(of: affected)
        for limit in snapshot.limits {
            self.store(limit)
            self.writeBehind.add(.set(limit))
        }
        for record in snapshot.records { self.storeReplicated(record) }
        for event in snapshot.events { self.storeReplicated(event) }
        for entry in snapshot.idempotency { self.remember(entry, persist: true) }
        self.expireIdempotencyKeys(now: now)
    }

    // MARK: Internals

    /// Sets a counter to a replicated record's value, unless this replica already holds a later period.
    mutating func storeReplicated(_ record: UsageRecord) {
        let spec = self.specIndex(tenant: record.tenant, metric: record.metric)
        if let existing = self.tenants[record.tenant]?.counter(of: record.metric),
            existing.period.start > record.periodStart
        {
            // A record of an earlier period: no counter holds it, so it is pending as it is.
            self.writeBehind.add(record)
            return
        }
        let slot = self.tenants.slot(adding: record.tenant)
        let location = EntryLocation(tenant: slot, position: self.tenants[slot].position(adding: record.metric))
        let counter = Counter(
            spec: spec,
            period: Period(start: record.periodStart, end: record.periodEnd),
            usage: record.usage,
            updatedAt: record.updatedAt
        )
        self.storeCounter(counter, at: location, changed: true)
    }

    /// Stores an owner's usage event under this node's next sequence number, keeping its event id.
    mutating func storeReplicated(_ event: UsageEvent) {
        let sequence = self.nextEventSequence
        self.nextEventSequence += 1
        self.writeBehind.add(
            UsageEvent(
                eventID: event.eventID,
                sequence: sequence,
                tenant: event.tenant,
                metric: event.metric,
                amount: event.amount,
                periodStart: event.periodStart,
                idempotencyKey: event.idempotencyKey,
                metadata: event.metadata,
                createdAt: event.createdAt
            )
        )
    }
}

import QuotaCore

/// One node's durable storage, applying ``QuotaCore/FlushBatch``es as the SQLite store does: in one
/// transaction, tenant resets first, then limit changes, usage records, usage events and idempotency keys.
///
/// Only what a completed batch wrote is here; the simulator holds a batch in flight separately and loses it
/// when the node crashes before the write completes. Every read is ordered (sorted keys or append order), never
/// by `Dictionary` iteration.
public struct SimDisk: Sendable {
    struct PeriodKey: Hashable, Comparable, Sendable {
        let metric: MetricCode
        let periodStart: Timestamp

        static func < (lhs: PeriodKey, rhs: PeriodKey) -> Bool {
            lhs.metric != rhs.metric ? lhs.metric < rhs.metric : lhs.periodStart < rhs.periodStart
        }
    }

    struct StoredTenant: Sendable {
        var limits: [MetricCode: Limit] = [:]
        var records: [PeriodKey: UsageRecord] = [:]
        /// In the order they were stored (increasing sequence).
        var events: [UsageEvent] = []
        var idempotency: [String: IdempotencyEntry] = [:]
    }

    /// The number of the last process start (stored before the process does anything else).
    public internal(set) var incarnation: UInt64 = 0
    var tenants: [TenantID: StoredTenant] = [:]
    /// The highest usage event sequence ever stored, including events a reset deleted since.
    var highestSequence: Int64 = 0
    /// Batches written so far.
    public internal(set) var batchesWritten = 0

    /// Creates an empty disk.
    public init() {}

    /// Applies one batch atomically.
    public mutating func persist(_ batch: FlushBatch) {
        self.batchesWritten += 1
        for reset in batch.resets {
            guard var tenant = self.tenants[reset.tenant] else { continue }
            tenant.limits = [:]
            tenant.idempotency = [:]
            for period in reset.periods {
                for key in tenant.records.keys.sorted()
                where key.metric == period.metric && key.periodStart >= period.periodStart {
                    tenant.records[key] = nil
                }
                tenant.events.removeAll { $0.metric == period.metric && $0.periodStart >= period.periodStart }
            }
            self.tenants[reset.tenant] = tenant
        }
        for change in batch.limitChanges {
            switch change {
            case .set(let limit): self.tenants[limit.tenant, default: StoredTenant()].limits[limit.metric] = limit
            case .removed(let tenant, let metric): self.tenants[tenant]?.limits[metric] = nil
            }
        }
        for record in batch.records {
            let key = PeriodKey(metric: record.metric, periodStart: record.periodStart)
            self.tenants[record.tenant, default: StoredTenant()].records[key] = record
        }
        for event in batch.events {
            self.tenants[event.tenant, default: StoredTenant()].events.append(event)
            self.highestSequence = max(self.highestSequence, event.sequence)
        }
        for entry in batch.idempotency {
            self.tenants[entry.tenant, default: StoredTenant()].idempotency[entry.key.rawValue] = entry
        }
    }

    /// What a starting process loads: limits, records of periods not yet ended at `now`, idempotency keys, and
    /// the next event sequence.
    public func recovered(now: Timestamp) -> RecoveredState {
        var state = RecoveredState(nextEventSequence: self.highestSequence + 1)
        for id in self.tenants.keys.sorted() {
            guard let tenant = self.tenants[id] else { continue }
            state.limits += tenant.limits.keys.sorted().compactMap { tenant.limits[$0] }
            state.records += tenant.records.keys.sorted().compactMap { tenant.records[$0] }.filter {
                $0.periodEnd > now
            }
            state.idempotency += tenant.idempotency.keys.sorted().compactMap { tenant.idempotency[$0] }
        }
        return state
    }

    /// The stored events of each (tenant, metric, period start) of `periods`, as a snapshot collection reads them.
    public func events(of periods: [UsageRecord]) -> [UsageEvent] {
        var events: [UsageEvent] = []
        for period in periods {
            guard let tenant = self.tenants[period.tenant] else { continue }
            events += tenant.events.filter { $0.metric == period.metric && $0.periodStart == period.periodStart }
        }
        return events
    }

    /// Every stored event of `tenant`, in the order stored.
    public func events(of tenant: TenantID) -> [UsageEvent] { self.tenants[tenant]?.events ?? [] }

    /// Every stored usage record of `tenant`, ordered by (metric, period start).
    public func records(of tenant: TenantID) -> [UsageRecord] {
        guard let stored = self.tenants[tenant] else { return [] }
        return stored.records.keys.sorted().compactMap { stored.records[$0] }
    }

    /// Every stored limit of `tenant`, ordered by metric.
    public func limits(of tenant: TenantID) -> [Limit] {
        guard let stored = self.tenants[tenant] else { return [] }
        return stored.limits.keys.sorted().compactMap { stored.limits[$0] }
    }

    /// Every tenant with stored state, ordered.
    public var tenantIDs: [TenantID] { self.tenants.keys.sorted() }

    /// Starts a new process: stores and returns its incarnation.
    mutating func beginIncarnation() -> UInt64 {
        self.incarnation += 1
        return self.incarnation
    }
}

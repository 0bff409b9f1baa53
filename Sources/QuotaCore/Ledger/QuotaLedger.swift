import DequeModule

/// The quota state of one node: limits, the counters of the current periods, applied idempotency keys
/// and the write-behind buffer. Pure and deterministic: every operation takes the current time.
///
/// Every mutating operation either applies completely or throws a ``QuotaError`` and changes nothing
/// observable (a counter whose period ended may be rolled into its new period, which is only the
/// passage of time).
public struct QuotaLedger: Sendable {
    struct IdempotencyScope: Hashable, Sendable {
        let tenant: TenantID
        let key: IdempotencyKey
    }

    /// The settings this ledger runs with.
    public let configuration: LedgerConfiguration
    /// The limits and counters of every tenant with state.
    var tenants = TenantTable()
    /// The period layouts of limits and counters.
    var periodSpecs = PeriodSpecTable()
    /// The layout of metrics without a limit (``LedgerConfiguration/unknownMetricPeriod``), in ``periodSpecs``.
    let unknownMetricSpec: PeriodSpecTable.Index
    var idempotency: [IdempotencyScope: IdempotencyEntry] = [:]
    /// Applied keys in the order they were applied, for expiry.
    var idempotencyOrder: Deque<IdempotencyScope> = []
    /// Changes not yet confirmed by storage.
    public internal(set) var writeBehind = WriteBehindBuffer()
    /// The effects being collected for replication, between ``beginCapture()`` and ``endCapture()``.
    var capture: LedgerDelta?
    /// The UTF-8 bytes of `<prefix>-`, the prefix given to ``init(configuration:eventIDPrefix:recovered:now:)``:
    /// every usage event id starts with them.
    let eventIDStem: [UInt8]
    /// The sequence number the next usage event gets.
    public internal(set) var nextEventSequence: Int64

    /// Rebuilds a ledger from what storage recovered.
    ///
    /// - Parameters:
    ///   - eventIDPrefix: the prefix of usage event ids, unique per node lifetime (`<node>-<incarnation>`).
    ///   - recovered: limits, current usage records and idempotency keys loaded from storage.
    ///   - now: the current time; expired idempotency keys are dropped.
    public init(
        configuration: LedgerConfiguration = LedgerConfiguration(),
        eventIDPrefix: String,
        recovered: RecoveredState = RecoveredState(),
        now: Timestamp
    ) {
        self.configuration = configuration
        self.eventIDStem = Array(eventIDPrefix.utf8) + [UInt8(ascii: "-")]
        self.nextEventSequence = recovered.nextEventSequence
        self.unknownMetricSpec = self.periodSpecs.intern(configuration.unknownMetricPeriod)
        for limit in recovered.limits { self.store(limit) }
        for record in recovered.records {
            let specIndex = self.specIndex(tenant: record.tenant, metric: record.metric)
            // A record written under another layout (the limit's period changed since) is history, not the
            // counter of the layout in force, unless it starts where one of its periods starts (then it is that
            // period's usage record, as a live layout change keeps it).
            let period = self.periodSpecs[specIndex].period(containing: record.periodStart)
            guard period.start == record.periodStart else { continue }
            if let existing = self.tenants[record.tenant]?.counter(of: record.metric),
                existing.period.start >= record.periodStart
            {
                continue
            }
            let slot = self.tenants.slot(adding: record.tenant)
            self.tenants[slot].setCounter(
                Counter(spec: specIndex, period: period, usage: record.usage, updatedAt: record.updatedAt),
                of: record.metric
            )
        }
        for entry in recovered.idempotency.sorted(by: { $0.createdAt < $1.createdAt }) {
            self.remember(entry, persist: false)
        }
        self.expireIdempotencyKeys(now: now)
    }

    // MARK: Limits

    /// Sets (creates or replaces) a limit. It takes effect at once on the current period's usage.
    ///
    /// - Throws: ``QuotaError/Code/unavailable`` when the unflushed bound is reached.
    public mutating func setLimit(_ limit: Limit, now: Timestamp) throws {
        try self.reserveUnflushed(1)
        self.store(limit)
        self.writeBehind.add(.set(limit))
        self.capture?.limitChanges.append(.set(limit))
    }

    /// Removes the limit of (tenant, metric). Its usage records stay; the metric is then treated as unknown.
    ///
    /// - Throws: ``QuotaError/Code/quotaNotFound`` when there is no such limit;
    ///   ``QuotaError/Code/unavailable`` when the unflushed bound is reached.
    public mutating func removeLimit(tenant: TenantID, metric: MetricCode, now: Timestamp) throws {
        guard self.tenants[tenant]?.limit(of: metric) != nil else {
            throw QuotaError(.quotaNotFound, "tenant '\(tenant)' has no limit for metric '\(metric)'")
        }
        try self.reserveUnflushed(1)
        if let slot = self.tenants.slot(of: tenant) { self.tenants[slot].setLimit(nil, of: metric) }
        self.writeBehind.add(.removed(tenant, metric))
        self.capture?.limitChanges.append(.removed(tenant, metric))
    }

    /// The limits of a tenant, ordered by metric.
    public func limits(of tenant: TenantID) -> [Limit] {
        guard let state = self.tenants[tenant] else { return [] }
        return state.entries.compactMap { entry in
            entry.limit?.limit(tenant: tenant, metric: entry.metric, specs: self.periodSpecs)
        }.sorted { $0.metric < $1.metric }
    }

    /// The limit of (tenant, metric), if one is set.
    public func limit(tenant: TenantID, metric: MetricCode) -> Limit? {
        self.tenants[tenant]?.limit(of: metric)?.limit(tenant: tenant, metric: metric, specs: self.periodSpecs)
    }

    /// The counter of (tenant, metric) as memory holds it, without rolling it to the current period (so reading
    /// it changes nothing), or `nil` when there is none.
    public func counter(tenant: TenantID, metric: MetricCode) -> UsageRecord? {
        guard let counter = self.tenants[tenant]?.counter(of: metric) else { return nil }
        return UsageRecord(
            tenant: tenant,
            metric: metric,
            periodStart: counter.period.start,
            periodEnd: counter.period.end,
            usage: counter.usage,
            updatedAt: counter.updatedAt
        )
    }

    // MARK: Write-behind

    /// Moves every pending change into one batch for storage, the usage records of dirty counters built now; see
    /// ``WriteBehindBuffer/takeBatch()``.
    public mutating func takeFlushBatch() -> FlushBatch? {
        let counterRecords = self.takeRecordsOfDirtyCounters()
        return self.writeBehind.takeBatch(addingRecordsOfDirtyCounters: counterRecords)
    }

    /// Storage wrote the in-flight batch.
    public mutating func flushSucceeded() { self.writeBehind.batchSucceeded() }

    /// Storage failed to write the in-flight batch; it will be retried with the next one.
    public mutating func flushFailed() {
        self.cleanDirtyCounters()
        self.writeBehind.batchFailed()
    }

    // MARK: Internals

    /// The period layout in force for (tenant, metric), as an index in ``periodSpecs``.
    func specIndex(tenant: TenantID, metric: MetricCode) -> PeriodSpecTable.Index {
        self.tenants[tenant]?.limit(of: metric)?.spec ?? self.unknownMetricSpec
    }

    /// Stores `limit` in memory (creating or replacing), its layout interned.
    mutating func store(_ limit: Limit) {
        let terms = LimitTerms(
            value: limit.value,
            spec: self.periodSpecs.intern(limit.period),
            enforcement: limit.enforcement,
            audit: limit.audit
        )
        let slot = self.tenants.slot(adding: limit.tenant)
        self.tenants[slot].setLimit(terms, of: limit.metric)
    }

    /// Throws ``QuotaError/Code/unavailable`` unless `entries` more unflushed entries fit under the bound.
    func reserveUnflushed(_ entries: Int) throws {
        let bound = self.configuration.maximumUnflushedEntries
        guard self.writeBehind.unflushedCount + entries <= bound else {
            throw QuotaError(
                .unavailable,
                "\(self.writeBehind.unflushedCount) changes are waiting for storage (bound \(bound)); retry later"
            )
        }
    }

    /// Reserves the sequence numbers of one applied request: the event id is `<prefix>-<first sequence>`
    /// and each stored usage event of the request takes the next number.
    mutating func reserveSequences(_ count: Int) -> (id: String, firstSequence: Int64) {
        let first = self.nextEventSequence
        self.nextEventSequence += Int64(max(1, count))
        return (Self.eventID(stem: self.eventIDStem, sequence: first), first)
    }

    /// `stem` (`<prefix>-`) followed by `sequence` in decimal, written in one pass into a string of its exact length
    /// (an id of up to 15 bytes is then a small, inline string).
    ///
    /// - Precondition: `sequence` is not negative.
    static func eventID(stem: [UInt8], sequence: Int64) -> String {
        precondition(sequence >= 0, "usage event sequences are not negative")
        var digits = 1
        var rest = sequence
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        let length = stem.count + digits
        return String(unsafeUninitializedCapacity: length) { buffer in
            let end = stem.withUnsafeBufferPointer {
                UnsafeMutableBufferPointer(rebasing: buffer[..<$0.count]).initialize(fromContentsOf: $0)
            }
            var value = sequence
            for position in stride(from: length - 1, through: end, by: -1) {
                buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            return length
        }
    }
}

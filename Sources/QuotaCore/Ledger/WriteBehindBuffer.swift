import OrderedCollections

/// The pending side of write-behind: changes made in memory that storage has not confirmed yet.
///
/// At most one batch is in flight. A failed batch is merged back (a usage record changed again in the
/// meantime keeps its newer value), so nothing is lost while storage fails; ``unflushedCount`` counts
/// pending and in-flight entries, which is what the node bounds.
public struct WriteBehindBuffer: Sendable {
    private struct RecordKey: Hashable, Sendable {
        let tenant: TenantID
        let metric: MetricCode
        let periodStart: Timestamp
    }

    private var limitChanges: [LimitChange] = []
    private var records: OrderedDictionary<RecordKey, UsageRecord> = [:]
    private var events: [UsageEvent] = []
    private var idempotency: [IdempotencyEntry] = []
    private var inFlight: FlushBatch?

    /// Creates an empty buffer.
    public init() {}

    /// Entries not yet confirmed by storage: pending plus in flight.
    public var unflushedCount: Int { self.pendingCount + (self.inFlight?.entryCount ?? 0) }

    /// Entries waiting for the next batch.
    public var pendingCount: Int {
        self.limitChanges.count + self.records.count + self.events.count + self.idempotency.count
    }

    /// Whether a batch has been taken and not yet confirmed or failed.
    public var hasBatchInFlight: Bool { self.inFlight != nil }

    mutating func add(_ change: LimitChange) { self.limitChanges.append(change) }

    mutating func add(_ record: UsageRecord) {
        let key = RecordKey(tenant: record.tenant, metric: record.metric, periodStart: record.periodStart)
        self.records[key] = record
    }

    mutating func add(_ event: UsageEvent) { self.events.append(event) }

    mutating func add(_ entry: IdempotencyEntry) { self.idempotency.append(entry) }

    /// Moves up to `maximumEntries` pending entries into a batch, oldest first within each kind
    /// (limit changes, then usage records, usage events and idempotency keys). The batch is never empty.
    ///
    /// - Returns: the batch, or `nil` when nothing is pending.
    /// - Precondition: no batch is in flight.
    public mutating func takeBatch(maximumEntries: Int) -> FlushBatch? {
        precondition(self.inFlight == nil, "a write-behind batch is already in flight")
        precondition(maximumEntries > 0, "a batch must hold at least one entry")
        guard self.pendingCount > 0 else { return nil }
        var batch = FlushBatch()
        var budget = maximumEntries
        func share(_ available: Int) -> Int {
            let taken = min(available, budget)
            budget -= taken
            return taken
        }
        let limitCount = share(self.limitChanges.count)
        batch.limitChanges = Array(self.limitChanges.prefix(limitCount))
        self.limitChanges.removeFirst(limitCount)
        let recordCount = share(self.records.count)
        batch.records = Array(self.records.values.prefix(recordCount))
        self.records.removeFirst(recordCount)
        let eventCount = share(self.events.count)
        batch.events = Array(self.events.prefix(eventCount))
        self.events.removeFirst(eventCount)
        let keyCount = share(self.idempotency.count)
        batch.idempotency = Array(self.idempotency.prefix(keyCount))
        self.idempotency.removeFirst(keyCount)
        self.inFlight = batch
        return batch
    }

    /// Storage confirmed the in-flight batch: it is durable.
    public mutating func batchSucceeded() {
        precondition(self.inFlight != nil, "no write-behind batch is in flight")
        self.inFlight = nil
    }

    /// Storage failed the in-flight batch: its entries become pending again, ahead of newer ones.
    public mutating func batchFailed() {
        guard let batch = self.inFlight else { preconditionFailure("no write-behind batch is in flight") }
        self.inFlight = nil
        self.limitChanges.insert(contentsOf: batch.limitChanges, at: 0)
        self.events.insert(contentsOf: batch.events, at: 0)
        self.idempotency.insert(contentsOf: batch.idempotency, at: 0)
        for record in batch.records {
            let key = RecordKey(tenant: record.tenant, metric: record.metric, periodStart: record.periodStart)
            if self.records[key] == nil { self.records[key] = record }
        }
    }
}

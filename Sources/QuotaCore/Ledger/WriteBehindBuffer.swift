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

    private var resets: [TenantReset] = []
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
        self.resets.count + self.limitChanges.count + self.records.count + self.events.count + self.idempotency.count
    }

    /// Whether a batch has been taken and not yet confirmed or failed.
    public var hasBatchInFlight: Bool { self.inFlight != nil }

    mutating func add(_ change: LimitChange) { self.limitChanges.append(change) }

    /// Adds a reset and drops every pending (not in-flight) change of its tenant: the reset supersedes them.
    mutating func add(_ reset: TenantReset) {
        let tenant = reset.tenant
        self.limitChanges.removeAll { change in
            switch change {
            case .set(let limit): limit.tenant == tenant
            case .removed(let other, _): other == tenant
            }
        }
        self.records.removeAll { $0.key.tenant == tenant }
        self.events.removeAll { $0.tenant == tenant }
        self.idempotency.removeAll { $0.tenant == tenant }
        self.resets.append(reset)
    }

    mutating func add(_ record: UsageRecord) {
        let key = RecordKey(tenant: record.tenant, metric: record.metric, periodStart: record.periodStart)
        self.records[key] = record
    }

    mutating func add(_ event: UsageEvent) { self.events.append(event) }

    mutating func add(_ entry: IdempotencyEntry) { self.idempotency.append(entry) }

    /// Moves every pending entry into one batch.
    ///
    /// A batch is never split: it holds every change of every request applied so far, so a crash can
    /// never leave a request half-durable (its usage record stored without its idempotency key, or
    /// without its usage events). Batches stay small because the flusher runs every flush interval and
    /// sooner when ``pendingCount`` reaches its batch size.
    ///
    /// - Returns: the batch, or `nil` when nothing is pending.
    /// - Precondition: no batch is in flight.
    public mutating func takeBatch() -> FlushBatch? {
        precondition(self.inFlight == nil, "a write-behind batch is already in flight")
        guard self.pendingCount > 0 else { return nil }
        var batch = FlushBatch()
        batch.resets = self.resets
        batch.limitChanges = self.limitChanges
        batch.records = Array(self.records.values)
        batch.events = self.events
        batch.idempotency = self.idempotency
        self.resets = []
        self.limitChanges = []
        self.records = [:]
        self.events = []
        self.idempotency = []
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
        // A reset added since the batch was taken supersedes the batch's changes of its tenant, but not the batch's
        // resets: they delete stored state that memory had already replaced, which the newer reset (listing what
        // memory held then) need not cover. Applied first, then the newer reset, they delete at most stale rows.
        let superseded = Set(self.resets.map(\.tenant))
        self.resets.insert(contentsOf: batch.resets, at: 0)
        self.limitChanges.insert(
            contentsOf: batch.limitChanges.filter { change in
                switch change {
                case .set(let limit): !superseded.contains(limit.tenant)
                case .removed(let tenant, _): !superseded.contains(tenant)
                }
            },
            at: 0
        )
        self.events.insert(contentsOf: batch.events.filter { !superseded.contains($0.tenant) }, at: 0)
        self.idempotency.insert(contentsOf: batch.idempotency.filter { !superseded.contains($0.tenant) }, at: 0)
        for record in batch.records where !superseded.contains(record.tenant) {
            let key = RecordKey(tenant: record.tenant, metric: record.metric, periodStart: record.periodStart)
            if self.records[key] == nil { self.records[key] = record }
        }
    }
}

import OrderedCollections

/// The pending side of write-behind: changes made in memory that storage has not confirmed yet.
///
/// At most one batch is in flight. A failed batch is merged back (a usage record changed again in the
/// meantime keeps its newer value), so nothing is lost while storage fails; ``unflushedCount`` counts
/// pending and in-flight entries, which is what the node bounds.
///
/// A usage record changed by a consume or a release is not stored here but marked: the ledger marks its counter
/// dirty and lists where it is (``dirtyCounters``), and builds the record from the counter when it takes the batch
/// (``QuotaLedger/takeFlushBatch()``), so a decision neither builds a record nor hashes a record key. ``records``
/// holds the other pending records: those a counter no longer holds (it moved to another period while dirty),
/// replicated records of earlier periods, and records of a failed batch. A record key is never both in
/// ``records`` and the key of a dirty counter.
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
    private var inFlight: FlushBatch? {
        didSet { self.inFlightCount = self.inFlight?.entryCount ?? 0 }
    }
    /// The entry count of ``inFlight`` (0 without one), kept so that the bound check per decision reads one number.
    private var inFlightCount = 0
    /// Where the dirty counters are, in the order they became dirty. A location whose counter was cleaned since
    /// (its record moved to ``records``) stays listed until the batch is taken; the ledger skips it then.
    private(set) var dirtyCounters: [QuotaLedger.EntryLocation] = []
    /// The number of counters marked dirty: one pending usage record each.
    private(set) var dirtyCount = 0

    /// Creates an empty buffer.
    public init() {}

    /// Entries not yet confirmed by storage: pending plus in flight.
    public var unflushedCount: Int { self.pendingCount + self.inFlightCount }

    /// Entries waiting for the next batch.
    public var pendingCount: Int {
        self.resets.count + self.limitChanges.count + self.records.count + self.dirtyCount + self.events.count
            + self.idempotency.count
    }

    /// Whether a batch has been taken and not yet confirmed or failed.
    public var hasBatchInFlight: Bool { self.inFlight != nil }

    mutating func add(_ change: LimitChange) { self.limitChanges.append(change) }

    /// Adds a reset and drops every pending (not in-flight) change of its tenant: the reset supersedes them.
    ///
    /// - Precondition: no counter is dirty (the ledger moves their records into ``records`` first).
    mutating func add(_ reset: TenantReset) {
        precondition(self.dirtyCount == 0, "a dirty counter was not cleaned")
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

    /// Whether ``records`` holds any record (when not, a changed counter is simply marked dirty).
    var holdsRecords: Bool { !self.records.isEmpty }

    /// Replaces the pending record of `record`'s key with `record` when ``records`` holds one.
    ///
    /// - Returns: whether it did; when not, the ledger marks the counter dirty instead.
    mutating func replacePending(_ record: UsageRecord) -> Bool {
        let key = RecordKey(tenant: record.tenant, metric: record.metric, periodStart: record.periodStart)
        guard let index = self.records.index(forKey: key) else { return false }
        self.records.values[index] = record
        return true
    }

    /// Lists a counter the ledger has just marked dirty.
    mutating func addDirtyCounter(at location: QuotaLedger.EntryLocation) {
        self.dirtyCounters.append(location)
        self.dirtyCount += 1
    }

    /// Counts one dirty counter fewer: the ledger cleaned it (and added its record, if still wanted).
    mutating func removeDirtyCounter() { self.dirtyCount -= 1 }

    /// Empties the list of dirty counters, every one of them cleaned by the ledger.
    mutating func clearDirtyCounters() {
        precondition(self.dirtyCount == 0, "a dirty counter was not cleaned")
        self.dirtyCounters.removeAll(keepingCapacity: true)
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
    public mutating func takeBatch() -> FlushBatch? { self.takeBatch(addingRecordsOfDirtyCounters: []) }

    /// Moves every pending entry into one batch, with `counterRecords`, the records the ledger built from its dirty
    /// counters (and cleaned them): their keys are not in ``records``, so they are appended without hashing.
    mutating func takeBatch(addingRecordsOfDirtyCounters counterRecords: [UsageRecord]) -> FlushBatch? {
        precondition(self.inFlight == nil, "a write-behind batch is already in flight")
        precondition(self.dirtyCount == 0, "the dirty counters were not taken")
        guard self.pendingCount + counterRecords.count > 0 else { return nil }
        var batch = FlushBatch()
        batch.resets = self.resets
        batch.limitChanges = self.limitChanges
        batch.records = self.records.isEmpty ? counterRecords : Array(self.records.values) + counterRecords
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
    ///
    /// - Precondition: no counter is dirty (the ledger moves their records into ``records`` first).
    public mutating func batchFailed() {
        precondition(self.dirtyCount == 0, "a dirty counter was not cleaned")
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

/// A change to a limit, on its way to storage.
public enum LimitChange: Hashable, Sendable {
    /// The limit was set (created or replaced).
    case set(Limit)
    /// The limit of (tenant, metric) was removed.
    case removed(TenantID, MetricCode)
}

/// Stored state of one tenant that a shard snapshot replaces on a replica (see ``QuotaLedger/installSnapshot(_:replacing:now:)``).
///
/// Storage deletes the tenant's limits and idempotency keys, and for each entry of `periods` the usage
/// records and usage events of that metric whose period starts at or after the given instant.
/// Earlier periods (history) stay.
public struct TenantReset: Hashable, Sendable {
    /// The tenant whose state is replaced.
    public let tenant: TenantID
    /// Per metric, the start of the earliest period replaced.
    public let periods: [MetricPeriod]

    /// A metric and a period start.
    public struct MetricPeriod: Hashable, Sendable {
        /// The metric.
        public let metric: MetricCode
        /// The start of the period (inclusive), UTC.
        public let periodStart: Timestamp

        /// Creates a pair.
        public init(metric: MetricCode, periodStart: Timestamp) {
            self.metric = metric
            self.periodStart = periodStart
        }
    }

    /// Creates a reset.
    public init(tenant: TenantID, periods: [MetricPeriod]) {
        self.tenant = tenant
        self.periods = periods
    }
}

/// An applied idempotency key with the decision it produced, kept for replays.
public struct IdempotencyEntry: Hashable, Sendable {
    /// The tenant the key is scoped to.
    public let tenant: TenantID
    /// The key.
    public let key: IdempotencyKey
    /// A hash of the request's operation and items (``RequestFingerprint``), to detect a key reused for another request.
    public let fingerprint: UInt64
    /// The decision returned the first time.
    public let decision: Decision
    /// When the key was applied.
    public let createdAt: Timestamp

    /// Creates an entry.
    public init(tenant: TenantID, key: IdempotencyKey, fingerprint: UInt64, decision: Decision, createdAt: Timestamp) {
        self.tenant = tenant
        self.key = key
        self.fingerprint = fingerprint
        self.decision = decision
        self.createdAt = createdAt
    }
}

/// One write-behind batch: everything that changed in memory since the last batch, written to storage
/// in a single transaction.
public struct FlushBatch: Hashable, Sendable {
    /// Replica resets, applied before everything else in the batch: state a shard snapshot replaced.
    public var resets: [TenantReset] = []
    /// Limit changes, in the order they were made.
    public var limitChanges: [LimitChange] = []
    /// The latest value of every usage record that changed (one per tenant, metric, period start).
    public var records: [UsageRecord] = []
    /// New usage events of `full`-audit metrics, in sequence order.
    public var events: [UsageEvent] = []
    /// Newly applied idempotency keys.
    public var idempotency: [IdempotencyEntry] = []

    /// Creates an empty batch.
    public init() {}

    /// The number of entries in the batch (what the unflushed bound counts).
    public var entryCount: Int {
        self.resets.count + self.limitChanges.count + self.records.count + self.events.count
            + self.idempotency.count
    }

    /// Whether the batch holds nothing.
    public var isEmpty: Bool { self.entryCount == 0 }
}

/// What storage hands back at start: the durable state to rebuild memory from.
public struct RecoveredState: Sendable {
    /// Every limit.
    public var limits: [Limit]
    /// Usage records whose period has not ended (`periodEnd` after the start time).
    public var records: [UsageRecord]
    /// Idempotency keys still within retention.
    public var idempotency: [IdempotencyEntry]
    /// One more than the highest usage event sequence ever stored, including events a ``TenantReset`` deleted
    /// (1 for an empty store): sequences are never handed out twice.
    public var nextEventSequence: Int64

    /// Creates a recovered state; the defaults describe an empty store.
    public init(
        limits: [Limit] = [],
        records: [UsageRecord] = [],
        idempotency: [IdempotencyEntry] = [],
        nextEventSequence: Int64 = 1
    ) {
        self.limits = limits
        self.records = records
        self.idempotency = idempotency
        self.nextEventSequence = nextEventSequence
    }
}

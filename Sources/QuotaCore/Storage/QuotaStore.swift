/// Durable storage of a node's quota state, written behind the request path in batches.
///
/// Production uses SQLite (`SQLiteQuotaStore` in QuotaStorage); a simulator can plug in a simulated disk.
/// Implementations must apply a ``FlushBatch`` atomically: all of it or none of it.
public protocol QuotaStore: Sendable {
    /// Records a new start of the node and returns its number, greater than that of every earlier start.
    /// Usage event ids embed it, so ids stay unique even when unflushed events were lost in a crash.
    func beginIncarnation() async throws -> Int64

    /// Loads the state to rebuild memory from at start: every limit, the usage records whose period ends
    /// after `now`, and the idempotency keys applied after `idempotencySince`.
    func recover(now: Timestamp, idempotencySince: Timestamp) async throws -> RecoveredState

    /// Writes one batch in a single transaction: its ``FlushBatch/resets`` first (deleting what each
    /// ``TenantReset`` describes), then its limit changes, usage records, usage events and idempotency keys.
    ///
    /// - Throws: any storage error; then nothing of the batch was written.
    func persist(_ batch: FlushBatch) async throws

    /// A page of a tenant's stored usage events, oldest first.
    func events(_ query: EventQuery) async throws -> EventPage

    /// A tenant's stored usage records, newest period first.
    func records(_ query: RecordQuery) async throws -> [UsageRecord]

    /// One summary per (tenant, metric, period start) that has a usage record or at least one usage event,
    /// for reconciling replicas.
    ///
    /// Ordered by tenant, metric and period start, comparing tenants and metrics by their UTF-8 bytes
    /// (``StoredPeriodSummary/precedes(_:_:)``), so that replicas list the same periods in the same order.
    ///
    /// - Parameter tenant: only this tenant's periods, or every tenant's when `nil`.
    func periodSummaries(tenant: TenantID?) async throws -> [StoredPeriodSummary]
}

/// A filter over a tenant's usage events.
public struct EventQuery: Hashable, Sendable {
    /// The largest page.
    public static let maximumPageSize = 1000

    /// The tenant.
    public var tenant: TenantID
    /// Only this metric, when set.
    public var metric: MetricCode?
    /// Only events created at or after this instant.
    public var from: Timestamp?
    /// Only events created before this instant.
    public var to: Timestamp?
    /// Only events after this sequence number (the `next_cursor` of the previous page).
    public var afterSequence: Int64?
    /// The page size, 1…1000.
    public var limit: Int

    /// Creates a query.
    ///
    /// - Throws: ``QuotaError/Code/invalidArgument`` when `limit` is outside 1…1000 or `from` is not before `to`.
    public init(
        tenant: TenantID,
        metric: MetricCode? = nil,
        from: Timestamp? = nil,
        to: Timestamp? = nil,
        afterSequence: Int64? = nil,
        limit: Int = 100
    ) throws {
        guard (1...Self.maximumPageSize).contains(limit) else {
            throw QuotaError.invalidArgument("limit must be between 1 and \(Self.maximumPageSize), got \(limit)")
        }
        if let from, let to, from >= to {
            throw QuotaError.invalidArgument("'from' (\(from)) must be before 'to' (\(to))")
        }
        self.tenant = tenant
        self.metric = metric
        self.from = from
        self.to = to
        self.afterSequence = afterSequence
        self.limit = limit
    }
}

/// One page of usage events.
public struct EventPage: Hashable, Sendable {
    /// The events, by ascending sequence.
    public var events: [UsageEvent]
    /// The cursor of the next page, or `nil` when this is the last one.
    public var nextCursor: Int64?

    /// Creates a page.
    public init(events: [UsageEvent], nextCursor: Int64?) {
        self.events = events
        self.nextCursor = nextCursor
    }
}

/// A filter over a tenant's usage records.
public struct RecordQuery: Hashable, Sendable {
    /// The tenant.
    public var tenant: TenantID
    /// Only this metric, when set.
    public var metric: MetricCode?
    /// At most this many records, 1…1000.
    public var limit: Int

    /// Creates a query.
    ///
    /// - Throws: ``QuotaError/Code/invalidArgument`` when `limit` is outside 1…1000.
    public init(tenant: TenantID, metric: MetricCode? = nil, limit: Int = 100) throws {
        guard (1...EventQuery.maximumPageSize).contains(limit) else {
            throw QuotaError.invalidArgument("limit must be between 1 and \(EventQuery.maximumPageSize), got \(limit)")
        }
        self.tenant = tenant
        self.metric = metric
        self.limit = limit
    }
}

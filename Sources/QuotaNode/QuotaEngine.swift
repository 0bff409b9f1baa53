import Logging
import QuotaCore
import Synchronization

/// A node's quota state in memory, shared by the HTTP and binary APIs and the write-behind flusher.
///
/// Every request runs synchronously under one lock against the ``QuotaLedger``: memory only, no I/O.
/// Storage is reached only by the ``WriteBehindFlusher`` and by the audit reads (events, records).
public final class QuotaEngine: Sendable {
    /// The settings this engine runs with.
    public let configuration: NodeConfiguration
    /// The current time, UTC milliseconds; the system clock in production.
    public let clock: @Sendable () -> Timestamp
    let store: any QuotaStore
    let ledger: Mutex<QuotaLedger>
    let trigger = FlushTrigger()
    /// Storage writes that failed in a row since the last success; 0 while storage is healthy.
    let consecutiveFlushFailures = Mutex(0)
    let logger: Logger
    /// Serialises drains of the write-behind buffer.
    let writer = WriteBehindWriter()

    /// Opens a node's state: starts a new incarnation in `store` and loads limits, current usage and
    /// idempotency keys from it.
    ///
    /// - Throws: whatever the store throws while loading.
    public init(
        configuration: NodeConfiguration,
        store: any QuotaStore,
        clock: @escaping @Sendable () -> Timestamp = SystemClock.now,
        logger: Logger = Logger(label: "quotad.engine")
    ) async throws {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.logger = logger
        let now = clock()
        let incarnation = try await store.beginIncarnation()
        let since = now.adding(milliseconds: -configuration.ledger.idempotencyRetentionMilliseconds)
        let recovered = try await store.recover(now: now, idempotencySince: since)
        self.ledger = Mutex(
            QuotaLedger(
                configuration: configuration.ledger,
                eventIDPrefix: "\(configuration.nodeID)-\(incarnation)",
                recovered: recovered,
                now: now
            )
        )
        logger.info(
            "recovered state",
            metadata: [
                "incarnation": "\(incarnation)", "limits": "\(recovered.limits.count)",
                "records": "\(recovered.records.count)", "idempotency_keys": "\(recovered.idempotency.count)",
            ]
        )
    }

    /// The id of this node, reported as `served_by`.
    public var nodeID: String { self.configuration.nodeID }

    // MARK: Usage

    /// Consumes usage; see ``QuotaLedger/consume(_:now:)``.
    public func consume(_ request: UsageRequest) throws -> Decision {
        try self.mutate { try $0.consume(request, now: $1) }
    }

    /// Checks usage without applying it; see ``QuotaLedger/check(_:now:)``.
    public func check(_ request: UsageRequest) throws -> Decision {
        let now = self.clock()
        return try self.ledger.withLock { try $0.check(request, now: now) }
    }

    /// Releases usage; see ``QuotaLedger/release(_:now:)``.
    public func release(_ request: UsageRequest) throws -> Decision {
        try self.mutate { try $0.release(request, now: $1) }
    }

    /// Every metric of a tenant in its current period; see ``QuotaLedger/status(of:now:)``.
    public func status(of tenant: TenantID) -> [MetricStatus] {
        let now = self.clock()
        return self.ledger.withLock { $0.status(of: tenant, now: now) }
    }

    // MARK: Limits

    /// Sets a limit; see ``QuotaLedger/setLimit(_:now:)``.
    public func setLimit(_ limit: Limit) throws {
        try self.mutate { try $0.setLimit(limit, now: $1) }
    }

    /// Removes a limit; see ``QuotaLedger/removeLimit(tenant:metric:now:)``.
    public func removeLimit(tenant: TenantID, metric: MetricCode) throws {
        try self.mutate { try $0.removeLimit(tenant: tenant, metric: metric, now: $1) }
    }

    /// A tenant's limits, ordered by metric.
    public func limits(of tenant: TenantID) -> [Limit] {
        self.ledger.withLock { $0.limits(of: tenant) }
    }

    // MARK: Audit reads

    /// A page of stored usage events. Pending events are flushed first, so a caller sees its own writes
    /// while storage is healthy.
    public func events(_ query: EventQuery) async throws -> EventPage {
        await self.flush()
        return try await self.store.events(query)
    }

    /// Stored usage records, newest period first, after flushing pending changes.
    public func records(_ query: RecordQuery) async throws -> [UsageRecord] {
        await self.flush()
        return try await self.store.records(query)
    }

    // MARK: Health

    /// Whether the node can take traffic: storage writes are succeeding.
    public var isReady: Bool { self.consecutiveFlushFailures.withLock { $0 == 0 } }

    /// Writes every pending change to storage now.
    ///
    /// - Returns: `true` when everything is durable, `false` when storage failed.
    @discardableResult
    public func flush() async -> Bool { await self.writer.drain(self) }

    /// Entries waiting for storage (pending and in flight).
    public var unflushedCount: Int { self.ledger.withLock { $0.writeBehind.unflushedCount } }

    private func mutate<Result>(_ body: (inout QuotaLedger, Timestamp) throws -> Result) throws -> Result {
        let now = self.clock()
        let (result, pending) = try self.ledger.withLock { ledger in
            (try body(&ledger, now), ledger.writeBehind.pendingCount)
        }
        if pending >= self.configuration.flushBatchEntries { self.trigger.fire() }
        return result
    }
}

import Foundation
import Logging
import QuotaCore
import QuotaNode
import QuotaStorage
import Synchronization

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let current = Mutex(Timestamp(millisecondsSinceEpoch: 1_795_000_000_000))

    var now: Timestamp { self.current.withLock { $0 } }

    func advance(milliseconds: Int64) { self.current.withLock { $0 = $0.adding(milliseconds: milliseconds) } }
}

/// A SQLite store whose writes can be made to fail, standing in for a full or read-only disk.
final class FailingStore: QuotaStore {
    struct DiskFull: Error {}

    let base: SQLiteQuotaStore
    private let failing = Mutex(false)
    private let attempts = Mutex(0)

    init(path: String) throws { self.base = try SQLiteQuotaStore(path: path) }

    var writesFail: Bool {
        get { self.failing.withLock { $0 } }
        set { self.failing.withLock { $0 = newValue } }
    }

    var persistAttempts: Int { self.attempts.withLock { $0 } }

    func beginIncarnation() async throws -> Int64 { try await self.base.beginIncarnation() }

    func recover(now: Timestamp, idempotencySince: Timestamp) async throws -> RecoveredState {
        try await self.base.recover(now: now, idempotencySince: idempotencySince)
    }

    func persist(_ batch: FlushBatch) async throws {
        self.attempts.withLock { $0 += 1 }
        if self.writesFail { throw DiskFull() }
        try await self.base.persist(batch)
    }

    func events(_ query: EventQuery) async throws -> EventPage { try await self.base.events(query) }

    func records(_ query: RecordQuery) async throws -> [UsageRecord] { try await self.base.records(query) }

    func periodSummaries(tenant: TenantID?) async throws -> [StoredPeriodSummary] {
        try await self.base.periodSummaries(tenant: tenant)
    }
}

/// A path for a SQLite file in a new temporary directory.
func temporaryDatabasePath() throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quota-node-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent("quota.sqlite").path
}

func makeEngine(
    store: any QuotaStore,
    clock: ManualClock,
    ledger: LedgerConfiguration = LedgerConfiguration()
)
    async throws -> QuotaEngine
{
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return try await QuotaEngine(
        configuration: try NodeConfiguration(nodeID: "t1", ledger: ledger),
        store: store,
        clock: { clock.now },
        logger: logger
    )
}

func consume(
    _ engine: QuotaEngine,
    _ tenant: String,
    _ metric: String,
    _ amount: Int64,
    key: String? = nil
) async throws
    -> Decision
{
    try await engine.consume(
        UsageRequest(
            tenant: TenantID(tenant),
            items: [UsageRequest.Item(metric: MetricCode(metric), amount: amount)],
            idempotencyKey: try key.map(IdempotencyKey.init)
        )
    )
}

func usage(_ engine: QuotaEngine, _ tenant: String, _ metric: String) async throws -> Int64? {
    let metric = try MetricCode(metric)
    return try await engine.status(of: try TenantID(tenant)).first { $0.metric == metric }?.usage
}

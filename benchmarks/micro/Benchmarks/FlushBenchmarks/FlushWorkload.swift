import Foundation
import QuotaCore
import QuotaStorage

/// A ledger over some tenants and a fresh SQLite store, producing write-behind batches as a busy node would: each
/// batch holds the changes of ``consumesPerBatch`` consumes of uniformly random tenants, so with audit `full` as
/// many usage events, and one usage record per distinct tenant consumed (about 4,900 of 100,000 tenants, all of
/// 1,000): near the node's default batch of 10,000 entries.
///
/// A benchmark's closure is called for one iteration at a time, never concurrently (hence `@unchecked Sendable`).
final class FlushWorkload: @unchecked Sendable {
    /// Consumes per batch.
    static let consumesPerBatch = 5_000

    let tenantCount: Int
    let audit: AuditLevel
    private(set) var store: SQLiteQuotaStore?
    private var directory: URL?
    private var ledger: QuotaLedger
    private var tenants: [TenantID] = []
    private var generator = SplitMix64(seed: 7)
    private var clock: Int64 = 1_800_000_000_000

    init(tenantCount: Int, audit: AuditLevel) {
        self.tenantCount = tenantCount
        self.audit = audit
        self.ledger = QuotaLedger(
            eventIDPrefix: "bench-1",
            now: Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
        )
    }

    /// Opens the store in a new temporary directory and sets one monthly hard limit per tenant, flushed before
    /// anything is measured.
    func prepare() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quota-flush-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directory = directory
        let store = try SQLiteQuotaStore(path: directory.appendingPathComponent("quota.sqlite").path)
        self.store = store
        let metric = try MetricCode("api_calls")
        let period = try PeriodSpec(unit: .month)
        for index in 0..<self.tenantCount {
            let tenant = try TenantID("tenant-\(index)")
            self.tenants.append(tenant)
            try self.ledger.setLimit(
                Limit(
                    tenant: tenant,
                    metric: metric,
                    value: Int64.max / 2,
                    period: period,
                    enforcement: .hard,
                    audit: self.audit
                ),
                now: self.now
            )
        }
        try await self.persistNext()
    }

    /// Applies the next ``consumesPerBatch`` consumes and takes their batch.
    func nextBatch() throws -> FlushBatch {
        let metric = try MetricCode("api_calls")
        for _ in 0..<Self.consumesPerBatch {
            self.clock += 1
            let tenant = self.tenants[Int(self.generator.next() % UInt64(self.tenantCount))]
            let request = try UsageRequest(tenant: tenant, items: [UsageRequest.Item(metric: metric, amount: 1)])
            _ = try self.ledger.consume(request, now: self.now)
        }
        guard let batch = self.ledger.takeFlushBatch() else { fatalError("consumes leave a batch") }
        return batch
    }

    /// Storage wrote the batch taken last.
    func confirm() { self.ledger.flushSucceeded() }

    /// Removes the temporary directory.
    func remove() throws {
        self.store = nil
        if let directory { try FileManager.default.removeItem(at: directory) }
    }

    private var now: Timestamp { Timestamp(millisecondsSinceEpoch: self.clock) }

    private func persistNext() async throws {
        guard let batch = self.ledger.takeFlushBatch(), let store else { return }
        try await store.persist(batch)
        self.ledger.flushSucceeded()
    }
}

/// A small, fast, seeded generator (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014), so every run consumes for the same tenants in the same order.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { self.state = seed }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var value = self.state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

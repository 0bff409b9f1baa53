import Testing

@testable import QuotaCore

/// Shared fixtures of the ledger tests. Time is always passed in: nothing here reads a clock.
enum Fixture {
    /// 2026-03-10T12:00:00.000Z: the first instant of a minute, an hour and a UTC day.
    static let t0 = Timestamp(millisecondsSinceEpoch: 1_773_144_000_000)
    /// 2026-03-01T00:00:00Z and 2026-04-01T00:00:00Z: the UTC calendar month containing ``t0``.
    static let monthStart = Timestamp(millisecondsSinceEpoch: 1_772_323_200_000)
    static let monthEnd = Timestamp(millisecondsSinceEpoch: 1_775_001_600_000)

    static let second = try! PeriodSpec(unit: .second)
    static let minute = try! PeriodSpec(unit: .minute)
    static let hour = try! PeriodSpec(unit: .hour)

    static let acme = try! TenantID("acme")
    static let globex = try! TenantID("globex")
    static let calls = try! MetricCode("api_calls")
    static let products = try! MetricCode("products")
    static let bytes = try! MetricCode("storage_bytes")
    static let exports = try! MetricCode("exports")
}

func tenantID(_ raw: String) throws -> TenantID { try TenantID(raw) }
func metricCode(_ raw: String) throws -> MetricCode { try MetricCode(raw) }
func idempotencyKey(_ raw: String) throws -> IdempotencyKey { try IdempotencyKey(raw) }

func at(_ milliseconds: Int64) -> Timestamp { Fixture.t0.adding(milliseconds: milliseconds) }

func makeLedger(
    _ configuration: LedgerConfiguration = LedgerConfiguration(),
    prefix: String = "n1-1",
    recovered: RecoveredState = RecoveredState(),
    now: Timestamp = Fixture.t0
) -> QuotaLedger {
    QuotaLedger(configuration: configuration, eventIDPrefix: prefix, recovered: recovered, now: now)
}

func makeLimit(
    _ tenant: TenantID = Fixture.acme,
    _ metric: MetricCode = Fixture.calls,
    value: Int64,
    _ enforcement: Enforcement,
    period: PeriodSpec = Fixture.minute,
    audit: AuditLevel = .full
) throws -> Limit {
    try Limit(tenant: tenant, metric: metric, value: value, period: period, enforcement: enforcement, audit: audit)
}

func usageRequest(
    _ tenant: TenantID,
    _ items: [(MetricCode, Int64)],
    key: IdempotencyKey? = nil,
    metadata: String? = nil,
    allowZeroAmounts: Bool = false
) throws -> UsageRequest {
    try UsageRequest(
        tenant: tenant,
        items: SmallArray(items.map { UsageRequest.Item(metric: $0.0, amount: $0.1) }),
        idempotencyKey: key,
        metadata: metadata,
        allowZeroAmounts: allowZeroAmounts
    )
}

/// A request of ``Fixture/acme``.
func usageRequest(
    _ items: [(MetricCode, Int64)],
    key: IdempotencyKey? = nil,
    metadata: String? = nil,
    allowZeroAmounts: Bool = false
) throws -> UsageRequest {
    try usageRequest(Fixture.acme, items, key: key, metadata: metadata, allowZeroAmounts: allowZeroAmounts)
}

extension QuotaLedger {
    /// Consumes `amount` of one metric.
    mutating func consume(
        _ tenant: TenantID,
        _ metric: MetricCode,
        _ amount: Int64,
        key: IdempotencyKey? = nil,
        now: Timestamp
    ) throws -> Decision {
        try self.consume(usageRequest(tenant, [(metric, amount)], key: key), now: now)
    }

    /// Consumes `amount` of acme's api_calls.
    mutating func consume(_ amount: Int64, key: IdempotencyKey? = nil, now: Timestamp) throws -> Decision {
        try self.consume(Fixture.acme, Fixture.calls, amount, key: key, now: now)
    }

    /// Releases `amount` of one metric.
    mutating func release(
        _ tenant: TenantID,
        _ metric: MetricCode,
        _ amount: Int64,
        key: IdempotencyKey? = nil,
        now: Timestamp
    ) throws -> Decision {
        try self.release(usageRequest(tenant, [(metric, amount)], key: key), now: now)
    }

    /// Releases `amount` of acme's api_calls.
    mutating func release(_ amount: Int64, key: IdempotencyKey? = nil, now: Timestamp) throws -> Decision {
        try self.release(Fixture.acme, Fixture.calls, amount, key: key, now: now)
    }

    /// Checks `amount` (0 allowed) of one metric.
    mutating func check(_ tenant: TenantID, _ metric: MetricCode, _ amount: Int64, now: Timestamp) throws -> Decision {
        try self.check(usageRequest(tenant, [(metric, amount)], allowZeroAmounts: true), now: now)
    }

    /// Checks `amount` (0 allowed) of acme's api_calls.
    mutating func check(_ amount: Int64, now: Timestamp) throws -> Decision {
        try self.check(Fixture.acme, Fixture.calls, amount, now: now)
    }

    /// The usage of (tenant, metric) in the period containing `now`, as `status` reports it.
    mutating func usage(
        _ tenant: TenantID = Fixture.acme,
        _ metric: MetricCode = Fixture.calls,
        now: Timestamp
    ) -> Int64 {
        self.status(of: tenant, now: now).first { $0.metric == metric }?.usage ?? 0
    }

    /// Takes every pending change in one batch and confirms it, as a successful flush does.
    @discardableResult
    mutating func flushAll() -> FlushBatch {
        guard let batch = self.takeFlushBatch() else { return FlushBatch() }
        self.flushSucceeded()
        return batch
    }
}

/// Everything observable about a ledger, to assert that a refused operation changed nothing.
struct LedgerSnapshot: Equatable, CustomStringConvertible {
    struct CounterState: Equatable {
        let tenant: String
        let metric: String
        let spec: PeriodSpec
        let period: Period
        let usage: Int64
        let updatedAt: Timestamp
    }

    let limits: [Limit]
    let counters: [CounterState]
    let idempotency: [IdempotencyEntry]
    let pendingCount: Int
    let unflushedCount: Int
    let hasBatchInFlight: Bool
    let nextEventSequence: Int64

    init(_ ledger: QuotaLedger) {
        let tenants = ledger.tenants.tenantIDs.sorted()
        self.limits = tenants.flatMap { ledger.limits(of: $0) }
        self.counters = tenants.flatMap { tenant in
            ledger.tenants[tenant]!.entries.sorted { $0.metric < $1.metric }.compactMap { entry in
                entry.counter.map { counter in
                    CounterState(
                        tenant: tenant.rawValue,
                        metric: entry.metric.rawValue,
                        spec: ledger.periodSpecs[counter.spec],
                        period: counter.period,
                        usage: counter.usage,
                        updatedAt: counter.updatedAt
                    )
                }
            }
        }
        self.idempotency = ledger.idempotency.values.sorted {
            ($0.tenant.rawValue, $0.key.rawValue) < ($1.tenant.rawValue, $1.key.rawValue)
        }
        self.pendingCount = ledger.writeBehind.pendingCount
        self.unflushedCount = ledger.writeBehind.unflushedCount
        self.hasBatchInFlight = ledger.writeBehind.hasBatchInFlight
        self.nextEventSequence = ledger.nextEventSequence
    }

    var description: String {
        "limits: \(self.limits.count), counters: \(self.counters.map { "\($0.tenant)/\($0.metric)=\($0.usage)" }), "
            + "keys: \(self.idempotency.count), pending: \(self.pendingCount), unflushed: \(self.unflushedCount), "
            + "next sequence: \(self.nextEventSequence)"
    }
}

/// Runs `body` on `ledger` and expects it to throw a ``QuotaError`` with `code` and to leave the ledger as it was.
func expectRefusal(
    _ code: QuotaError.Code,
    _ ledger: inout QuotaLedger,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: (inout QuotaLedger) throws -> Void
) {
    let before = LedgerSnapshot(ledger)
    do {
        try body(&ledger)
        Issue.record("expected a QuotaError \(code), but the operation succeeded", sourceLocation: sourceLocation)
    } catch let error as QuotaError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a QuotaError \(code), got \(error)", sourceLocation: sourceLocation)
    }
    #expect(
        LedgerSnapshot(ledger) == before,
        "the refused operation changed the ledger",
        sourceLocation: sourceLocation
    )
}

/// Expects `body` to throw a ``QuotaError`` with `code`.
func expectQuotaError<T>(
    _ code: QuotaError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> T
) {
    do {
        _ = try body()
        Issue.record("expected a QuotaError \(code), but it succeeded", sourceLocation: sourceLocation)
    } catch let error as QuotaError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a QuotaError \(code), got \(error)", sourceLocation: sourceLocation)
    }
}

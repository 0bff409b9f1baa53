import QuotaCore

/// A ledger holding one hard limit per tenant, and the consume requests that a benchmark sends to it.
///
/// A benchmark's closure is called for one iteration at a time, never concurrently, so the mutable ledger it
/// shares with its setup hook is not raced (hence `@unchecked Sendable`).
final class LedgerWorkload: @unchecked Sendable {
    /// The fixed clock of the run: the middle of a minute, so no counter rolls into a new period.
    static let now = Timestamp(millisecondsSinceEpoch: 1_800_000_030_000)

    /// Requests applied between two takes of the write-behind batch, as the flusher would take them.
    static let requestsPerFlush = 8_192

    let tenantCount: Int
    let limitValue: Int64
    let audit: AuditLevel
    private(set) var ledger = QuotaLedger(eventIDPrefix: "bench-1", now: LedgerWorkload.now)
    private(set) var requests: [UsageRequest] = []
    private var next = 0
    private var sinceFlush = 0

    /// - Parameters:
    ///   - tenantCount: the number of tenants, each with one hard per-minute limit on `api_calls`.
    ///   - limitValue: the limit per minute; 0 makes every consume a denial.
    ///   - audit: the limits' audit level.
    init(tenantCount: Int, limitValue: Int64, audit: AuditLevel) {
        self.tenantCount = tenantCount
        self.limitValue = limitValue
        self.audit = audit
    }

    /// Sets the limits and builds the requests (uniformly random tenants, a fixed seed), then flushes the
    /// limit changes so the measured loop starts with an empty write-behind buffer.
    func prepare() throws {
        let metric = try MetricCode("api_calls")
        let period = try PeriodSpec(unit: .minute)
        var tenants: [TenantID] = []
        tenants.reserveCapacity(self.tenantCount)
        for index in 0..<self.tenantCount {
            let tenant = try TenantID("tenant-\(index)")
            tenants.append(tenant)
            let limit = try Limit(
                tenant: tenant,
                metric: metric,
                value: self.limitValue,
                period: period,
                enforcement: .hard,
                audit: self.audit
            )
            try self.ledger.setLimit(limit, now: Self.now)
            if index % Self.requestsPerFlush == 0 { self.flush() }
        }
        self.flush()
        var generator = SplitMix64(seed: 42)
        self.requests = try (0..<(1 << 20)).map { _ in
            let tenant = tenants[Int(generator.next() % UInt64(self.tenantCount))]
            return try UsageRequest(tenant: tenant, items: [UsageRequest.Item(metric: metric, amount: 1)])
        }
    }

    /// Applies the next consume and, every ``requestsPerFlush`` requests, takes and confirms the write-behind
    /// batch (what the flusher does around storage).
    @inline(__always)
    func consumeNext() throws -> Decision {
        let request = self.requests[self.next]
        self.next = (self.next + 1) & (self.requests.count - 1)
        let decision = try self.ledger.consume(request, now: Self.now)
        self.sinceFlush += 1
        if self.sinceFlush == Self.requestsPerFlush { self.flush() }
        return decision
    }

    private func flush() {
        self.sinceFlush = 0
        guard self.ledger.takeFlushBatch() != nil else { return }
        self.ledger.flushSucceeded()
    }
}

/// A small, fast, seeded generator (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014), so every run sends the same tenants in the same order.
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

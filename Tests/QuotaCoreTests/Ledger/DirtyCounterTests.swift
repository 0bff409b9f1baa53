import Testing

@testable import QuotaCore

/// The ledger writes changed counters behind by marking them dirty and building their usage records when a batch is
/// taken. These tests compare it, over random operations from fixed seeds, with the way it did before: a record
/// added to a ``WriteBehindBuffer`` for every change, kept here as the reference.
@Suite("Write-behind of dirty counters")
struct DirtyCounterTests {
    static let seeds: [UInt64] = [1, 2, 3, 5, 8, 13, 42, 2_026, 0xDEAD_BEEF, 0x0123_4567_89AB_CDEF]
    static let steps = 800

    static let tenants = [try! TenantID("t1"), try! TenantID("t2"), try! TenantID("t3")]
    static let metrics = [try! MetricCode("calls"), try! MetricCode("tokens")]
    /// Layouts a limit switches between: the minute and the hour start together on the hour, so a switch there keeps
    /// the usage record's start and changes its end.
    static let layouts = [Fixture.second, Fixture.minute, Fixture.hour]

    /// A ledger and the reference buffer, driven together.
    struct Run {
        /// The ledger under test.
        var ledger = makeLedger(now: Fixture.t0)
        /// A buffer given a record for every change, as the ledger's buffer was before dirty counters.
        var reference = WriteBehindBuffer()
        /// The run's source of choices.
        var generator: SplitMix64
        /// The time of the next operation.
        var now = Fixture.t0
        /// The layout of each (tenant, metric) limit, by ``key(_:_:)``.
        var layouts: [String: PeriodSpec] = [:]

        /// A run whose choices come from `seed`.
        init(seed: UInt64) { self.generator = SplitMix64(seed: seed) }

        /// The key of ``layouts`` for (tenant, metric).
        static func key(_ tenant: TenantID, _ metric: MetricCode) -> String { "\(tenant)|\(metric)" }

        /// A hard limit out of reach, audit `aggregate` (no usage events), with `layout`.
        func limit(_ tenant: TenantID, _ metric: MetricCode, layout: PeriodSpec) throws -> Limit {
            try makeLimit(tenant, metric, value: 1_000_000, .hard, period: layout, audit: .aggregate)
        }

        /// Sets the limit of (tenant, metric) in the ledger and adds its change to the reference.
        mutating func setLimit(_ tenant: TenantID, _ metric: MetricCode, layout: PeriodSpec) throws {
            let limit = try self.limit(tenant, metric, layout: layout)
            try self.ledger.setLimit(limit, now: self.now)
            self.reference.add(.set(limit))
            self.layouts[Self.key(tenant, metric)] = layout
        }

        /// Adds to the reference the record of the counter of each of `metrics`, as it stands after a change.
        mutating func referenceRecords(_ tenant: TenantID, _ metrics: [MetricCode]) throws {
            for metric in metrics {
                self.reference.add(try #require(self.ledger.counter(tenant: tenant, metric: metric)))
            }
        }

        /// A record of (tenant, metric) in the period containing `instant` under the limit's layout.
        mutating func replicatedRecord(_ tenant: TenantID, _ metric: MetricCode, at instant: Timestamp) -> UsageRecord {
            let layout = self.layouts[Self.key(tenant, metric)] ?? Fixture.minute
            let period = layout.period(containing: instant)
            return UsageRecord(
                tenant: tenant,
                metric: metric,
                periodStart: period.start,
                periodEnd: period.end,
                usage: self.generator.int(in: Int64(0)...500),
                updatedAt: self.now
            )
        }

        /// One random operation on both, then the pending and unflushed counts compared.
        mutating func step() throws {
            let tenant = self.generator.pick(DirtyCounterTests.tenants)
            let metrics =
                self.generator.chance(30) ? DirtyCounterTests.metrics : [self.generator.pick(DirtyCounterTests.metrics)]
            let amount = self.generator.int(in: Int64(1)...5)
            switch self.generator.int(in: 0...99) {
            case 0..<35:
                let decision = try self.ledger.consume(
                    usageRequest(tenant, metrics.map { ($0, amount) }),
                    now: self.now
                )
                #expect(decision.allowed)
                try self.referenceRecords(tenant, metrics)
            case 35..<45:
                _ = try self.ledger.release(usageRequest(tenant, metrics.map { ($0, amount) }), now: self.now)
                try self.referenceRecords(tenant, metrics)
            case 45..<50:
                _ = try self.ledger.check(
                    usageRequest(tenant, metrics.map { ($0, 0) }, allowZeroAmounts: true),
                    now: self.now
                )
            case 50..<53:
                _ = self.ledger.status(of: tenant, now: self.now)
            case 53..<58:
                try self.setLimit(tenant, metrics[0], layout: self.generator.pick(DirtyCounterTests.layouts))
            case 58..<63:
                var delta = LedgerDelta()
                for metric in metrics {
                    let back = self.generator.chance(50) ? 0 : self.generator.int(in: Int64(1)...7_200_000)
                    delta.records.append(
                        self.replicatedRecord(tenant, metric, at: self.now.adding(milliseconds: -back))
                    )
                }
                self.ledger.applyReplicated(delta)
                for record in delta.records { self.reference.add(record) }
            case 63..<66:
                var snapshot = TenantSnapshot()
                for metric in DirtyCounterTests.metrics {
                    let layout = self.generator.pick(DirtyCounterTests.layouts)
                    snapshot.limits.append(try self.limit(tenant, metric, layout: layout))
                    self.layouts[Self.key(tenant, metric)] = layout
                    if self.generator.chance(70) {
                        snapshot.records.append(self.replicatedRecord(tenant, metric, at: self.now))
                    }
                }
                self.ledger.installSnapshot(snapshot, replacing: [tenant], now: self.now)
                self.reference.add(TenantReset(tenant: tenant, periods: []))
                for limit in snapshot.limits { self.reference.add(.set(limit)) }
                for record in snapshot.records { self.reference.add(record) }
            case 66..<80:
                try self.flush(succeeding: self.generator.chance(60))
            default:
                let back = self.generator.chance(10)
                let step = self.generator.int(in: Int64(0)...(back ? 1_500 : 90_000))
                self.now = self.now.adding(milliseconds: back ? -step : step)
            }
            #expect(self.ledger.writeBehind.pendingCount == self.reference.pendingCount)
            #expect(self.ledger.writeBehind.unflushedCount == self.reference.unflushedCount)
        }

        /// Takes a batch from both, compares them, and confirms or fails both.
        mutating func flush(succeeding: Bool) throws {
            let batch = self.ledger.takeFlushBatch()
            let expected = self.reference.takeBatch()
            #expect((batch == nil) == (expected == nil))
            guard let batch, let expected else { return }
            #expect(batch.records.count == expected.records.count, "one record per (tenant, metric, period start)")
            #expect(Set(batch.records) == Set(expected.records))
            #expect(batch.limitChanges == expected.limitChanges)
            #expect(batch.resets.map(\.tenant) == expected.resets.map(\.tenant))
            #expect(batch.entryCount == expected.entryCount)
            if succeeding {
                self.ledger.flushSucceeded()
                self.reference.batchSucceeded()
            } else {
                self.ledger.flushFailed()
                self.reference.batchFailed()
            }
        }
    }

    @Test("batches hold the same usage records as a record per change would, whatever the operations", arguments: seeds)
    func sameRecordsAsRecordPerChange(seed: UInt64) throws {
        var run = Run(seed: seed)
        for tenant in Self.tenants {
            for metric in Self.metrics { try run.setLimit(tenant, metric, layout: Fixture.minute) }
        }
        for _ in 0..<Self.steps { try run.step() }
        while run.ledger.writeBehind.unflushedCount > 0 { try run.flush(succeeding: true) }
        #expect(run.reference.unflushedCount == 0)
    }

    @Test("a counter changed many times between batches is one record, with its last value")
    func oneRecordPerCounter() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 1_000, .hard, audit: .aggregate), now: Fixture.t0)
        ledger.flushAll()
        for step in Int64(1)...50 { _ = try ledger.consume(1, now: at(step)) }
        #expect(ledger.writeBehind.pendingCount == 1)
        let batch = ledger.flushAll()
        #expect(batch.records.map(\.usage) == [50])
        #expect(batch.records.map(\.updatedAt) == [at(50)])
        #expect(ledger.writeBehind.unflushedCount == 0)
    }

    @Test("a dirty counter that rolls into a new period keeps the record of the period it left")
    func rollingKeepsTheLeftPeriod() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 1_000, .hard, audit: .aggregate), now: Fixture.t0)
        ledger.flushAll()
        _ = try ledger.consume(3, now: at(1_000))
        _ = try ledger.check(0, now: at(61_000))
        #expect(ledger.writeBehind.pendingCount == 1, "rolling alone writes nothing")
        _ = try ledger.consume(2, now: at(62_000))
        #expect(ledger.writeBehind.pendingCount == 2)
        let batch = ledger.flushAll()
        #expect(batch.records.map(\.periodStart) == [Fixture.t0, at(60_000)])
        #expect(batch.records.map(\.usage) == [3, 2])
    }

    @Test("a failed batch comes back under the newer values of counters changed since")
    func failedBatchUnderNewerValues() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 1_000, .hard, audit: .aggregate), now: Fixture.t0)
        try ledger.setLimit(
            makeLimit(Fixture.acme, Fixture.products, value: 1_000, .hard, audit: .aggregate),
            now: Fixture.t0
        )
        ledger.flushAll()
        _ = try ledger.consume(1, now: at(1))
        _ = try ledger.consume(Fixture.acme, Fixture.products, 4, now: at(2))
        _ = try #require(ledger.takeFlushBatch() as FlushBatch?)
        _ = try ledger.consume(1, now: at(3))
        ledger.flushFailed()
        #expect(ledger.writeBehind.pendingCount == 2)
        _ = try ledger.consume(1, now: at(4))
        let retry = ledger.flushAll()
        #expect(Set(retry.records.map { "\($0.metric)=\($0.usage)" }) == ["api_calls=3", "products=4"])
    }

    @Test("a reset drops the dirty counters of its tenant and keeps the others'")
    func resetDropsDirtyCountersOfItsTenant() throws {
        var ledger = makeLedger()
        for tenant in [Fixture.acme, Fixture.globex] {
            try ledger.setLimit(
                makeLimit(tenant, Fixture.calls, value: 1_000, .hard, audit: .aggregate),
                now: Fixture.t0
            )
        }
        ledger.flushAll()
        _ = try ledger.consume(Fixture.acme, Fixture.calls, 2, now: at(1))
        _ = try ledger.consume(Fixture.globex, Fixture.calls, 5, now: at(2))
        ledger.installSnapshot(TenantSnapshot(), replacing: [Fixture.acme], now: at(3))
        let batch = ledger.flushAll()
        #expect(batch.resets.map(\.tenant) == [Fixture.acme])
        #expect(batch.records.map(\.tenant) == [Fixture.globex])
        #expect(ledger.counter(tenant: Fixture.acme, metric: Fixture.calls) == nil)
        #expect(!ledger.tenantIDs.contains(Fixture.acme))
        _ = try ledger.consume(Fixture.acme, Fixture.calls, 1, now: at(4))
        #expect(ledger.flushAll().records.map(\.usage) == [1], "the tenant comes back in its old slot, empty")
    }
}

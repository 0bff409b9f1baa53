import Testing

@testable import QuotaCore

@Suite("Write-behind buffer: tenant resets")
struct WriteBehindResetTests {
    static func reset(_ tenant: TenantID, _ metric: MetricCode = Fixture.calls) -> TenantReset {
        TenantReset(tenant: tenant, periods: [TenantReset.MetricPeriod(metric: metric, periodStart: Fixture.t0)])
    }

    static func record(_ tenant: TenantID, _ metric: MetricCode = Fixture.calls, usage: Int64) -> UsageRecord {
        UsageRecord(
            tenant: tenant,
            metric: metric,
            periodStart: Fixture.t0,
            periodEnd: at(60_000),
            usage: usage,
            updatedAt: at(usage)
        )
    }

    static func event(_ tenant: TenantID, _ sequence: Int64) -> UsageEvent {
        UsageEvent(
            eventID: "n1-1-\(sequence)",
            sequence: sequence,
            tenant: tenant,
            metric: Fixture.calls,
            amount: 1,
            periodStart: Fixture.t0,
            idempotencyKey: nil,
            metadata: nil,
            createdAt: at(sequence)
        )
    }

    static func entry(_ tenant: TenantID, _ key: String) throws -> IdempotencyEntry {
        IdempotencyEntry(
            tenant: tenant,
            key: try idempotencyKey(key),
            fingerprint: 7,
            decision: Decision(
                allowed: true,
                tenant: tenant.rawValue,
                results: [],
                eventID: nil,
                retryAfterMilliseconds: nil
            ),
            createdAt: Fixture.t0
        )
    }

    /// For each tenant, in turn: a limit set, a limit removed, two records, two events and a key (7 entries each).
    /// Event sequences: acme 1, 2; globex 3, 4 (then 5, 6 for a third tenant, and so on).
    static func fill(_ buffer: inout WriteBehindBuffer, _ tenants: [TenantID]) throws {
        var sequence: Int64 = 0
        for tenant in tenants {
            buffer.add(LimitChange.set(try makeLimit(tenant, Fixture.calls, value: 5, .hard)))
            buffer.add(LimitChange.removed(tenant, Fixture.products))
            buffer.add(Self.record(tenant, Fixture.calls, usage: 1))
            buffer.add(Self.record(tenant, Fixture.products, usage: 2))
            sequence += 1
            buffer.add(Self.event(tenant, sequence))
            sequence += 1
            buffer.add(Self.event(tenant, sequence))
            buffer.add(try Self.entry(tenant, "k-\(tenant.rawValue)"))
        }
    }

    /// The tenants a batch's entries belong to, per kind.
    static func tenants(
        of batch: FlushBatch
    ) -> (limits: [TenantID], records: [TenantID], events: [TenantID], keys: [TenantID]) {
        let limits = batch.limitChanges.map { change in
            switch change {
            case .set(let limit): limit.tenant
            case .removed(let tenant, _): tenant
            }
        }
        return (limits, batch.records.map(\.tenant), batch.events.map(\.tenant), batch.idempotency.map(\.tenant))
    }

    @Test("adding a reset drops every pending change of its tenant and none of the others")
    func resetDropsItsTenantsPendingChanges() throws {
        let initech = try tenantID("initech")
        var buffer = WriteBehindBuffer()
        try Self.fill(&buffer, [Fixture.acme, Fixture.globex, initech])
        #expect(buffer.pendingCount == 21)
        buffer.add(Self.reset(Fixture.globex))
        #expect(buffer.pendingCount == 14 + 1, "globex's 7 entries gone, the reset added")

        let batch = try #require(buffer.takeBatch() as FlushBatch?)
        #expect(batch.resets == [Self.reset(Fixture.globex)])
        let tenants = Self.tenants(of: batch)
        #expect(tenants.limits == [Fixture.acme, Fixture.acme, initech, initech])
        #expect(tenants.records == [Fixture.acme, Fixture.acme, initech, initech])
        #expect(batch.events.map(\.sequence) == [1, 2, 5, 6])
        #expect(tenants.keys == [Fixture.acme, initech])
        #expect(batch.entryCount == 15)
    }

    @Test("changes added after a reset stay, and the batch carries the resets in order")
    func takeBatchCarriesResets() throws {
        var buffer = WriteBehindBuffer()
        let first = Self.reset(Fixture.acme)
        let second = Self.reset(Fixture.globex, Fixture.products)
        let third = TenantReset(tenant: Fixture.acme, periods: [])
        buffer.add(first)
        try Self.fill(&buffer, [Fixture.acme])  // the snapshot's state, after the reset
        buffer.add(second)
        buffer.add(third)  // drops the acme state added since the first reset; both acme resets stay
        buffer.add(Self.record(Fixture.acme, usage: 9))
        #expect(buffer.pendingCount == 4)

        let batch = try #require(buffer.takeBatch() as FlushBatch?)
        #expect(batch.resets == [first, second, third])
        #expect(batch.records == [Self.record(Fixture.acme, usage: 9)])
        #expect(batch.limitChanges.isEmpty && batch.events.isEmpty && batch.idempotency.isEmpty)
        #expect(buffer.pendingCount == 0)
        #expect(buffer.unflushedCount == 4)
        buffer.batchSucceeded()
        #expect(buffer.takeBatch() == nil, "resets are taken once")
    }

    @Test("a buffer holding only a reset has a batch to take")
    func onlyAReset() throws {
        var buffer = WriteBehindBuffer()
        buffer.add(Self.reset(Fixture.acme))
        #expect(buffer.pendingCount == 1)
        let batch = try #require(buffer.takeBatch() as FlushBatch?)
        #expect(!batch.isEmpty)
        #expect(batch.entryCount == 1)
    }

    @Test("a reset added while a batch is in flight leaves the in-flight batch alone")
    func resetDoesNotTouchTheInFlightBatch() throws {
        var buffer = WriteBehindBuffer()
        try Self.fill(&buffer, [Fixture.acme])
        let inFlight = try #require(buffer.takeBatch() as FlushBatch?)
        buffer.add(Self.reset(Fixture.acme))
        #expect(buffer.unflushedCount == 7 + 1)
        buffer.batchSucceeded()
        let next = try #require(buffer.takeBatch() as FlushBatch?)
        #expect(inFlight.entryCount == 7)
        #expect(next.resets == [Self.reset(Fixture.acme)])
        #expect(next.entryCount == 1)
    }

    @Test("a failed batch comes back without the changes of tenants reset since; other tenants' come back whole")
    func failedBatchDropsSupersededTenants() throws {
        var buffer = WriteBehindBuffer()
        try Self.fill(&buffer, [Fixture.acme, Fixture.globex])
        let failed = try #require(buffer.takeBatch() as FlushBatch?)
        // Meanwhile acme is reset and gets its new state; globex changes too.
        let reset = Self.reset(Fixture.acme)
        buffer.add(reset)
        let acmeAfter = Self.record(Fixture.acme, usage: 40)
        buffer.add(acmeAfter)
        buffer.add(Self.event(Fixture.acme, 10))
        let globexNewer = Self.record(Fixture.globex, usage: 50)
        buffer.add(globexNewer)
        buffer.batchFailed()
        #expect(buffer.hasBatchInFlight == false)
        #expect(buffer.unflushedCount == 1 + 2 + 7, "the reset, acme's 2 new entries, globex's 7 (one record newer)")

        let retry = try #require(buffer.takeBatch() as FlushBatch?)
        #expect(retry.resets == [reset])
        let tenants = Self.tenants(of: retry)
        #expect(tenants.limits == [Fixture.globex, Fixture.globex])
        #expect(tenants.keys == [Fixture.globex])
        #expect(retry.events.map(\.sequence) == [3, 4, 10], "globex's failed events first, then the newer event")
        #expect(retry.events.last?.tenant == Fixture.acme)
        #expect(
            Set(retry.records) == [acmeAfter, globexNewer, Self.record(Fixture.globex, Fixture.products, usage: 2)]
        )
        #expect(
            !retry.records.contains(Self.record(Fixture.acme, Fixture.products, usage: 2)),
            "acme's failed record of a metric not touched since is dropped too"
        )
        let failedGlobex = failed.idempotency.filter { $0.tenant == Fixture.globex }
        #expect(retry.idempotency == failedGlobex)
    }

    @Test("a failed batch's resets come back ahead of newer resets")
    func failedResetsComeBackFirst() throws {
        var buffer = WriteBehindBuffer()
        let older = Self.reset(Fixture.globex)
        buffer.add(older)
        buffer.add(Self.record(Fixture.globex, usage: 3))
        _ = try #require(buffer.takeBatch() as FlushBatch?)
        let newer = Self.reset(Fixture.acme)
        buffer.add(newer)
        buffer.batchFailed()
        let retry = try #require(buffer.takeBatch() as FlushBatch?)
        #expect(retry.resets == [older, newer])
        #expect(retry.records == [Self.record(Fixture.globex, usage: 3)], "globex was not reset since")
    }

    @Test("a failed batch's reset of a tenant reset again since still comes back, ahead of the newer reset")
    func failedResetOfASupersededTenantComesBack() throws {
        var buffer = WriteBehindBuffer()
        // The first snapshot replaced products; the second lists only api_calls.
        let older = Self.reset(Fixture.acme, Fixture.products)
        buffer.add(older)
        buffer.add(Self.record(Fixture.acme, Fixture.products, usage: 3))
        _ = try #require(buffer.takeBatch() as FlushBatch?)
        let newer = Self.reset(Fixture.acme, Fixture.calls)
        buffer.add(newer)
        buffer.batchFailed()
        #expect(buffer.unflushedCount == 2)
        let retry = try #require(buffer.takeBatch() as FlushBatch?)
        #expect(retry.resets == [older, newer], "the stored products rows the first snapshot replaced still go")
        #expect(retry.records.isEmpty, "the first snapshot's state is superseded")
    }
}

import Testing

@testable import QuotaCore

@Suite("Write-behind buffer")
struct WriteBehindBufferTests {
    static func record(_ metric: MetricCode, usage: Int64, periodStart: Timestamp = Fixture.t0) -> UsageRecord {
        UsageRecord(
            tenant: Fixture.acme,
            metric: metric,
            periodStart: periodStart,
            periodEnd: periodStart.adding(milliseconds: 60_000),
            usage: usage,
            updatedAt: periodStart.adding(milliseconds: usage)
        )
    }

    static func event(_ sequence: Int64, amount: Int64 = 1) -> UsageEvent {
        UsageEvent(
            eventID: "n1-1-\(sequence)",
            sequence: sequence,
            tenant: Fixture.acme,
            metric: Fixture.calls,
            amount: amount,
            periodStart: Fixture.t0,
            idempotencyKey: nil,
            metadata: nil,
            createdAt: at(sequence)
        )
    }

    static func entry(_ key: String) throws -> IdempotencyEntry {
        let decision = Decision(
            allowed: true,
            tenant: "acme",
            results: [],
            eventID: "n1-1-1",
            retryAfterMilliseconds: nil
        )
        return IdempotencyEntry(
            tenant: Fixture.acme,
            key: try idempotencyKey(key),
            fingerprint: 7,
            decision: decision,
            createdAt: Fixture.t0
        )
    }

    /// 3 limit changes, 2 records, 4 events and 2 keys: 11 entries of every kind.
    static func filledBuffer() throws -> (WriteBehindBuffer, FlushBatch) {
        var buffer = WriteBehindBuffer()
        var all = FlushBatch()
        for value in Int64(1)...3 {
            let change = LimitChange.set(try makeLimit(value: value, .hard))
            buffer.add(change)
            all.limitChanges.append(change)
        }
        for usageRecord in [Self.record(Fixture.calls, usage: 4), Self.record(Fixture.products, usage: 9)] {
            buffer.add(usageRecord)
            all.records.append(usageRecord)
        }
        for sequence in Int64(1)...4 {
            buffer.add(Self.event(sequence))
            all.events.append(Self.event(sequence))
        }
        for key in ["k1", "k2"] {
            buffer.add(try Self.entry(key))
            all.idempotency.append(try Self.entry(key))
        }
        return (buffer, all)
    }

    @Test("takeBatch takes every pending entry at once, in order, so no request is split across batches")
    func takeBatchTakesEverything() throws {
        var (buffer, all) = try Self.filledBuffer()
        #expect(buffer.pendingCount == 11)
        let batch = try #require(buffer.takeBatch() as FlushBatch?)
        #expect(batch == all)
        #expect(buffer.pendingCount == 0)
        #expect(buffer.unflushedCount == 11)
        buffer.batchSucceeded()
        #expect(buffer.takeBatch() == nil)
        #expect(buffer.unflushedCount == 0)
        #expect(buffer.hasBatchInFlight == false)
    }

    @Test("takeBatch returns nil when nothing is pending")
    func emptyBuffer() {
        var buffer = WriteBehindBuffer()
        #expect(buffer.takeBatch() == nil)
        #expect(buffer.hasBatchInFlight == false)
        #expect(buffer.unflushedCount == 0)
    }

    @Test("unflushedCount counts pending and in-flight entries")
    func unflushedCountsPendingAndInFlight() throws {
        var (buffer, _) = try Self.filledBuffer()
        _ = try #require(buffer.takeBatch() as FlushBatch?)
        #expect(buffer.hasBatchInFlight)
        #expect(buffer.pendingCount == 0)
        #expect(buffer.unflushedCount == 11)
        buffer.add(Self.event(5))
        #expect(buffer.unflushedCount == 12)
        buffer.batchSucceeded()
        #expect(buffer.unflushedCount == 1)
        #expect(buffer.unflushedCount == buffer.pendingCount)
    }

    @Test("a failed batch comes back ahead of newer entries; a record changed meanwhile keeps its newer value")
    func failedBatchIsMergedBack() throws {
        var (buffer, all) = try Self.filledBuffer()
        let batch = try #require(buffer.takeBatch() as FlushBatch?)
        #expect(batch == all)
        // Meanwhile: api_calls changes again, a new event, a new limit change, a new key.
        let newer = Self.record(Fixture.calls, usage: 5)
        buffer.add(newer)
        buffer.add(Self.event(5))
        let laterChange = LimitChange.removed(Fixture.acme, Fixture.calls)
        buffer.add(laterChange)
        buffer.add(try Self.entry("k3"))
        buffer.batchFailed()
        #expect(buffer.hasBatchInFlight == false)
        #expect(buffer.unflushedCount == 11 + 3, "the record of api_calls is one entry, with its newer value")

        let retry = try #require(buffer.takeBatch() as FlushBatch?)
        #expect(retry.limitChanges == all.limitChanges + [laterChange])
        #expect(retry.events.map(\.sequence) == [1, 2, 3, 4, 5])
        #expect(retry.idempotency.map(\.key.rawValue) == ["k1", "k2", "k3"])
        #expect(retry.records.count == 2)
        #expect(retry.records.first { $0.metric == Fixture.calls } == newer)
        #expect(
            retry.records.first { $0.metric == Fixture.products }?.usage == 9,
            "an unchanged record is restored as it was"
        )
        buffer.batchSucceeded()
        #expect(buffer.unflushedCount == 0)
    }

    @Test("a partial failed batch keeps global order with the entries that were not taken")
    func partialFailedBatchKeepsOrder() throws {
        var (buffer, all) = try Self.filledBuffer()
        _ = try #require(buffer.takeBatch() as FlushBatch?)
        buffer.batchFailed()
        let retry = try #require(buffer.takeBatch() as FlushBatch?)
        #expect(retry.limitChanges == all.limitChanges)
        #expect(retry.events == all.events)
        #expect(retry.idempotency == all.idempotency)
        #expect(Set(retry.records) == Set(all.records))
    }

    @Test("records of one (tenant, metric, period) collapse to the latest value; other periods stay separate")
    func recordsCollapsePerPeriod() throws {
        var buffer = WriteBehindBuffer()
        buffer.add(Self.record(Fixture.calls, usage: 1))
        buffer.add(Self.record(Fixture.calls, usage: 2))
        buffer.add(Self.record(Fixture.calls, usage: 1, periodStart: at(60_000)))
        buffer.add(Self.record(Fixture.calls, usage: 3))
        #expect(buffer.pendingCount == 2)
        let batch = try #require(buffer.takeBatch() as FlushBatch?)
        #expect(batch.records.map(\.usage) == [3, 1])
    }

    @Test("ledger events keep sequence order across consumes, releases and batches")
    func ledgerEventsKeepSequenceOrder() throws {
        var ledger = makeLedger(recovered: RecoveredState(nextEventSequence: 41))
        var events: [UsageEvent] = []
        for step in Int64(0)..<20 {
            if step % 3 == 2 {
                _ = try ledger.release(
                    try usageRequest([(Fixture.calls, 1), (Fixture.products, 1)]),
                    now: at(step * 7_000)
                )
            } else {
                _ = try ledger.consume(
                    try usageRequest([(Fixture.calls, 2), (Fixture.products, 1)]),
                    now: at(step * 7_000)
                )
            }
            if step % 4 == 3, let batch = ledger.takeFlushBatch() {
                events += batch.events
                if step % 8 == 7 { ledger.flushFailed() } else { ledger.flushSucceeded() }
                if step % 8 == 7 { events.removeLast(batch.events.count) }
            }
        }
        while let batch = ledger.takeFlushBatch() {
            events += batch.events
            ledger.flushSucceeded()
        }
        #expect(events.map(\.sequence) == Array(41..<(41 + 40)))
        #expect(ledger.nextEventSequence == 81)
        // The two items of one request share an id: the prefix and the request's first sequence.
        for pair in stride(from: 0, to: events.count, by: 2) {
            #expect(events[pair].eventID == "n1-1-\(events[pair].sequence)")
            #expect(events[pair + 1].eventID == events[pair].eventID)
        }
    }

    @Test("aggregate-audit metrics produce usage records but no usage events")
    func aggregateAuditHasNoEvents() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 1_000, .hard, audit: .aggregate), now: Fixture.t0)
        ledger.flushAll()
        let key = try idempotencyKey("req-1")
        let decision = try ledger.consume(try usageRequest([(Fixture.calls, 5)], key: key), now: at(1))
        #expect(decision.allowed)
        #expect(decision.eventID != nil)
        _ = try ledger.release(3, now: at(2))
        _ = try ledger.consume(try usageRequest([(Fixture.calls, 1), (Fixture.products, 1)]), now: at(3))
        let batch = ledger.flushAll()
        #expect(batch.records.map(\.usage).sorted() == [1, 3], "api_calls at 3 and products at 1")
        #expect(batch.events.map(\.metric) == [Fixture.products], "only the full-audit metric has an event")
        #expect(batch.idempotency.count == 1, "idempotency keys are still stored")
    }
}

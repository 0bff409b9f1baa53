import Testing

@testable import QuotaCore

@Suite("Idempotency")
struct IdempotencyTests {
    @Test("the same key twice is counted once; the second returns the first decision, replayed")
    func sameKeyReplays() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 10, .hard), now: Fixture.t0)
        let key = try idempotencyKey("req-1")
        let first = try ledger.consume(4, key: key, now: at(1))
        #expect(first.allowed)
        #expect(first.replayed == false)
        let afterFirst = LedgerSnapshot(ledger)

        // Later, with other usage in between: the replay still returns the original decision.
        let second = try ledger.consume(4, key: key, now: at(2))
        #expect(LedgerSnapshot(ledger) == afterFirst, "a replay applies nothing and queues nothing")
        #expect(second.replayed)
        var expected = first
        expected.replayed = true
        #expect(second == expected)
        _ = try ledger.consume(1, now: at(3))
        let third = try ledger.consume(4, key: key, now: at(4))
        #expect(third == expected)
        #expect(ledger.usage(now: at(5)) == 5)

        let batch = ledger.flushAll()
        #expect(batch.idempotency.count == 1)
        #expect(batch.idempotency.first?.decision == first)
        #expect(batch.idempotency.first?.createdAt == at(1))
        #expect(batch.events.filter { $0.idempotencyKey == key }.count == 1)
    }

    @Test("the same key with a different request is an idempotency conflict that changes nothing")
    func sameKeyDifferentRequestConflicts() throws {
        var ledger = makeLedger()
        let key = try idempotencyKey("req-1")
        _ = try ledger.consume(try usageRequest([(Fixture.calls, 4), (Fixture.products, 1)], key: key), now: at(1))
        let others: [[(MetricCode, Int64)]] = [
            [(Fixture.calls, 5), (Fixture.products, 1)],  // another amount
            [(Fixture.calls, 4)],  // an item fewer
            [(Fixture.calls, 4), (Fixture.bytes, 1)],  // another metric
            [(Fixture.products, 1), (Fixture.calls, 4)],  // another order
        ]
        for items in others {
            expectRefusal(.idempotencyConflict, &ledger) { ledger in
                _ = try ledger.consume(try usageRequest(items, key: key), now: at(2))
            }
        }
        expectRefusal(.idempotencyConflict, &ledger) { ledger in
            _ = try ledger.release(try usageRequest([(Fixture.calls, 4), (Fixture.products, 1)], key: key), now: at(2))
        }
    }

    @Test("keys are scoped to a tenant")
    func keysArePerTenant() throws {
        var ledger = makeLedger()
        let key = try idempotencyKey("req-1")
        let acme = try ledger.consume(Fixture.acme, Fixture.calls, 1, key: key, now: at(1))
        let globex = try ledger.consume(Fixture.globex, Fixture.calls, 1, key: key, now: at(2))
        #expect(globex.replayed == false)
        #expect(globex.eventID != acme.eventID)
        #expect(ledger.usage(Fixture.globex, Fixture.calls, now: at(3)) == 1)
    }

    @Test("a key expires after the retention and then counts as new")
    func keysExpire() throws {
        var ledger = makeLedger(LedgerConfiguration(idempotencyRetentionMilliseconds: 10_000))
        try ledger.setLimit(makeLimit(value: 100, .hard, period: Fixture.hour), now: Fixture.t0)
        let key = try idempotencyKey("req-1")
        let first = try ledger.consume(1, key: key, now: at(1_000))
        let stillKnown = try ledger.consume(1, key: key, now: at(1_000 + 9_999))
        #expect(stillKnown.replayed)
        #expect(stillKnown.eventID == first.eventID)
        let expired = try ledger.consume(1, key: key, now: at(1_000 + 10_000))
        #expect(expired.replayed == false)
        #expect(expired.eventID != first.eventID)
        #expect(expired.results[0].usage == 2)
        #expect(ledger.idempotency.count == 1, "the expired entry was dropped and the new one kept")
    }

    @Test("a key recovered after its retention is not replayed")
    func expiredRecoveredKeysAreDropped() throws {
        var ledger = makeLedger(LedgerConfiguration(idempotencyRetentionMilliseconds: 10_000))
        let key = try idempotencyKey("req-1")
        _ = try ledger.consume(1, key: key, now: at(0))
        let batch = ledger.flushAll()
        let recovered = RecoveredState(records: batch.records, idempotency: batch.idempotency, nextEventSequence: 2)
        var fresh = makeLedger(
            LedgerConfiguration(idempotencyRetentionMilliseconds: 10_000),
            prefix: "n1-2",
            recovered: recovered,
            now: at(10_000)
        )
        #expect(fresh.idempotency.isEmpty)
        #expect(try fresh.consume(1, key: key, now: at(10_001)).replayed == false)
    }

    @Test("after a restart from what was flushed, a key still replays")
    func keysSurviveARestart() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 10, .hard), now: Fixture.t0)
        let key = try idempotencyKey("req-1")
        let first = try ledger.consume(3, key: key, now: at(1))
        _ = try ledger.consume(2, now: at(2))

        // Flush in small batches, as the node does, and rebuild memory from what storage holds.
        var flushed: [FlushBatch] = []
        while let batch = ledger.takeFlushBatch() {
            flushed.append(batch)
            ledger.flushSucceeded()
        }
        #expect(ledger.writeBehind.unflushedCount == 0)
        let recovered = Self.recoveredState(from: flushed, now: at(3))
        var restarted = makeLedger(prefix: "n1-2", recovered: recovered, now: at(3))

        #expect(restarted.limit(tenant: Fixture.acme, metric: Fixture.calls)?.value == 10)
        #expect(restarted.usage(now: at(3)) == 5)
        let replay = try restarted.consume(3, key: key, now: at(4))
        #expect(replay.replayed)
        #expect(replay.eventID == first.eventID)
        #expect(replay.results == first.results)
        #expect(restarted.usage(now: at(4)) == 5)
        expectRefusal(.idempotencyConflict, &restarted) { ledger in _ = try ledger.consume(4, key: key, now: at(5)) }
        // The restarted node keeps counting where storage left off, under its own prefix.
        let next = try restarted.consume(5, now: at(6))
        #expect(next.allowed)
        #expect(next.eventID == "n1-2-\(recovered.nextEventSequence)")
        #expect(try restarted.consume(1, now: at(7)).allowed == false)
    }

    @Test("a denied consume does not record its key")
    func deniedConsumeDoesNotRecordTheKey() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 1, .hard), now: Fixture.t0)
        _ = try ledger.consume(1, now: at(1))
        let key = try idempotencyKey("req-1")
        let before = LedgerSnapshot(ledger)
        let denied = try ledger.consume(1, key: key, now: at(2))
        #expect(denied.allowed == false)
        #expect(LedgerSnapshot(ledger) == before)
        #expect(ledger.idempotency.isEmpty)
        // Once there is room, the same key is applied (not replayed as a denial).
        _ = try ledger.release(1, now: at(3))
        let admitted = try ledger.consume(1, key: key, now: at(4))
        #expect(admitted.allowed)
        #expect(admitted.replayed == false)
        #expect(try ledger.consume(1, key: key, now: at(5)).replayed)
    }

    @Test("a request refused for the unflushed bound does not record its key")
    func refusedConsumeDoesNotRecordTheKey() throws {
        var ledger = makeLedger(LedgerConfiguration(maximumUnflushedEntries: 2))
        let key = try idempotencyKey("req-1")
        expectRefusal(.unavailable, &ledger) { ledger in _ = try ledger.consume(1, key: key, now: at(1)) }
        #expect(try ledger.consume(1, now: at(2)).allowed)
    }

    /// What storage would hand back after persisting `batches` in order: limits, current records, keys and
    /// the next event sequence — built independently of the ledger.
    static func recoveredState(from batches: [FlushBatch], now: Timestamp) -> RecoveredState {
        var limits: [String: Limit] = [:]
        var records: [String: UsageRecord] = [:]
        var keys: [String: IdempotencyEntry] = [:]
        var highestSequence: Int64 = 0
        for batch in batches {
            for change in batch.limitChanges {
                switch change {
                case .set(let limit): limits["\(limit.tenant)/\(limit.metric)"] = limit
                case .removed(let tenant, let metric): limits["\(tenant)/\(metric)"] = nil
                }
            }
            for record in batch.records {
                records["\(record.tenant)/\(record.metric)/\(record.periodStart.millisecondsSinceEpoch)"] = record
            }
            for event in batch.events { highestSequence = max(highestSequence, event.sequence) }
            for entry in batch.idempotency { keys["\(entry.tenant)/\(entry.key)"] = entry }
        }
        return RecoveredState(
            limits: limits.keys.sorted().map { limits[$0]! },
            records: records.keys.sorted().map { records[$0]! }.filter { $0.periodEnd > now },
            idempotency: keys.keys.sorted().map { keys[$0]! },
            nextEventSequence: highestSequence + 1
        )
    }
}

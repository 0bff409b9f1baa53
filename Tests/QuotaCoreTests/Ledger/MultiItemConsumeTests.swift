import Testing

@testable import QuotaCore

@Suite("Multi-item consume")
struct MultiItemConsumeTests {
    /// acme: api_calls hard 10/minute, products soft 5/hour, storage_bytes without a limit.
    static func ledger() throws -> QuotaLedger {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 10, .hard), now: Fixture.t0)
        try ledger.setLimit(
            makeLimit(Fixture.acme, Fixture.products, value: 5, .soft, period: Fixture.hour),
            now: Fixture.t0
        )
        return ledger
    }

    @Test("one hard item over its limit applies nothing to any item")
    func allOrNothing() throws {
        var ledger = try Self.ledger()
        _ = try ledger.consume(8, now: at(1))
        _ = try ledger.consume(Fixture.acme, Fixture.products, 2, now: at(1))
        _ = try ledger.consume(Fixture.acme, Fixture.bytes, 100, now: at(1))
        ledger.flushAll()
        let before = LedgerSnapshot(ledger)

        let request = try usageRequest([(Fixture.products, 1), (Fixture.calls, 3), (Fixture.bytes, 50)])
        let decision = try ledger.consume(request, now: at(2))

        #expect(decision.allowed == false)
        #expect(decision.eventID == nil)
        #expect(decision.retryAfterMilliseconds == 59_998, "time to the end of the minute")
        #expect(
            decision.results.map(\.metric) == ["products", "api_calls", "storage_bytes"],
            "results follow request order"
        )
        #expect(decision.results.map(\.allowed) == [true, false, true])
        #expect(decision.results.map(\.usage) == [2, 8, 100], "no item's usage moved")
        #expect(decision.results[1].overage == 1)
        #expect(LedgerSnapshot(ledger) == before)
        #expect(ledger.writeBehind.pendingCount == 0, "the write-behind buffer got nothing")
        #expect(ledger.takeFlushBatch() == nil)
        #expect(ledger.usage(now: at(3)) == 8)
        #expect(ledger.usage(Fixture.acme, Fixture.products, now: at(3)) == 2)
        #expect(ledger.usage(Fixture.acme, Fixture.bytes, now: at(3)) == 100)
    }

    @Test("an admitted multi-item consume applies every item under one event id")
    func admittedMultiItem() throws {
        var ledger = try Self.ledger()
        ledger.flushAll()
        let sequence = ledger.nextEventSequence
        let request = try usageRequest(
            [(Fixture.calls, 10), (Fixture.products, 7), (Fixture.bytes, 1)],
            metadata: #"{"source":"test"}"#
        )
        let decision = try ledger.consume(request, now: at(5))
        #expect(decision.allowed)
        #expect(decision.eventID == "n1-1-\(sequence)")
        #expect(decision.results.map(\.usage) == [10, 7, 1])
        #expect(decision.results[1].exceeded)
        #expect(decision.results[1].overage == 2)
        #expect(decision.results[1].periodEnd == at(3_600_000))

        let batch = ledger.flushAll()
        #expect(batch.records.count == 3)
        #expect(batch.events.map(\.eventID) == Array(repeating: "n1-1-\(sequence)", count: 3))
        #expect(batch.events.map(\.sequence) == [sequence, sequence + 1, sequence + 2])
        #expect(batch.events.map(\.amount) == [10, 7, 1])
        #expect(batch.events.map(\.metric) == [Fixture.calls, Fixture.products, Fixture.bytes])
        #expect(batch.events.allSatisfy { $0.metadata == #"{"source":"test"}"# && $0.createdAt == at(5) })
        #expect(batch.events[1].periodStart == Fixture.t0)
        #expect(batch.events[2].periodStart == Fixture.monthStart)
        #expect(ledger.nextEventSequence == sequence + 3)
    }

    @Test("with several hard items denied, retry-after is the latest of their resets")
    func retryAfterIsTheLatestReset() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 1, .hard), now: Fixture.t0)
        try ledger.setLimit(
            makeLimit(Fixture.acme, Fixture.exports, value: 1, .hard, period: Fixture.hour),
            now: Fixture.t0
        )
        _ = try ledger.consume(try usageRequest([(Fixture.calls, 1), (Fixture.exports, 1)]), now: at(1_000))
        let denied = try ledger.consume(try usageRequest([(Fixture.calls, 1), (Fixture.exports, 1)]), now: at(2_000))
        #expect(denied.allowed == false)
        #expect(denied.results.map(\.allowed) == [false, false])
        #expect(denied.retryAfterMilliseconds == 3_598_000, "time to the end of the hour")
        // Only the minute item denied: its reset alone counts.
        let minuteOnly = try ledger.consume(
            try usageRequest([(Fixture.calls, 1), (Fixture.products, 1)]),
            now: at(2_000)
        )
        #expect(minuteOnly.retryAfterMilliseconds == 58_000)
    }
}

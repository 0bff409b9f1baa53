import Testing

@testable import QuotaCore

/// How counters follow a change of a limit's period layout, a restart, and requests whose time is
/// slightly earlier than the last one (two requests racing to the ledger lock, or a clock step).
@Suite("Period layouts and out-of-order time")
struct LayoutAndClockTests {
    @Test("changing the layout keeps the usage when the new period starts at the same instant, else starts at 0")
    func liveLayoutChange() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 10, .hard), now: Fixture.t0)
        _ = try ledger.consume(4, now: at(10))
        // t0 starts both the minute and the hour: the same usage record.
        try ledger.setLimit(makeLimit(value: 10, .hard, period: Fixture.hour), now: at(20))
        let sameStart = try ledger.consume(1, now: at(30))
        #expect(sameStart.results[0].usage == 5)
        #expect(sameStart.results[0].periodEnd == at(3_600_000))
        // Back to minutes one minute later: a new period of the new layout.
        try ledger.setLimit(makeLimit(value: 10, .hard), now: at(61_000))
        let otherStart = try ledger.consume(1, now: at(61_001))
        #expect(otherStart.results[0].usage == 1)
        #expect(otherStart.results[0].periodStart == at(60_000))
    }

    @Test("after a restart, a record of the old layout does not become the counter of a new minute limit")
    func recoveredRecordOfAnotherLayoutIsHistory() throws {
        var ledger = makeLedger()
        // Tracked without a limit (calendar month), then limited per minute.
        _ = try ledger.consume(50, now: at(1))
        try ledger.setLimit(makeLimit(value: 10, .hard), now: at(2))
        _ = try ledger.consume(3, now: at(3))
        let batch = ledger.flushAll()
        #expect(batch.records.map(\.usage) == [50, 3])

        // Restart two minutes later: only the month record is still current.
        let now = at(120_000)
        let recovered = IdempotencyTests.recoveredState(from: [batch], now: now)
        #expect(recovered.records.map(\.periodStart) == [Fixture.monthStart])
        var restarted = makeLedger(prefix: "n1-2", recovered: recovered, now: now)
        let decision = try restarted.consume(1, now: now)
        #expect(decision.allowed, "the month's usage is not this minute's usage")
        #expect(decision.results[0].usage == 1)
        #expect(decision.results[0].periodStart == now)
        #expect(decision.results[0].periodEnd == at(180_000))
        let status = try #require(restarted.status(of: Fixture.acme, now: now).first)
        #expect(status.period == Period(start: now, end: at(180_000)))
    }

    @Test("after a restart, the record of the layout in force wins over a later-starting record of an old layout")
    func recoveredRecordOfTheLayoutInForceWins() throws {
        var ledger = makeLedger()
        let day = try PeriodSpec(unit: .day)
        let month = try PeriodSpec(unit: .month)
        try ledger.setLimit(makeLimit(value: 100, .hard, period: day), now: Fixture.t0)
        _ = try ledger.consume(5, now: at(1))
        try ledger.setLimit(makeLimit(value: 100, .hard, period: month), now: at(2))
        _ = try ledger.consume(7, now: at(3))
        #expect(ledger.usage(now: at(3)) == 7)

        let now = at(10)
        let recovered = IdempotencyTests.recoveredState(from: [ledger.flushAll()], now: now)
        #expect(recovered.records.count == 2, "the day record (starting later) and the month record")
        var restarted = makeLedger(prefix: "n1-2", recovered: recovered, now: now)
        #expect(restarted.usage(now: now) == 7)
        let decision = try restarted.consume(1, now: now)
        #expect(decision.results[0].usage == 8)
        #expect(decision.results[0].periodStart == Fixture.monthStart)
        #expect(decision.results[0].periodEnd == Fixture.monthEnd)
    }

    @Test("a request timestamped just before the current period does not reopen the earlier one")
    func lateRequestDoesNotReopenAnEarlierPeriod() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 5, .hard), now: Fixture.t0)
        _ = try ledger.consume(5, now: at(59_000))
        _ = try ledger.consume(2, now: at(60_000))
        // A request that read the clock at 59 999 reaches the ledger after the one at 60 000.
        let late = try ledger.consume(1, now: at(59_999))
        #expect(late.results[0].periodStart == at(60_000), "it counts in the current period")
        #expect(late.results[0].usage == 3)
        let next = try ledger.consume(1, now: at(60_001))
        #expect(next.results[0].usage == 4, "the current period kept its usage")
        #expect(try ledger.consume(2, now: at(59_998)).allowed == false, "the hard limit of the current period holds")

        let records = ledger.flushAll().records
        #expect(
            records.first { $0.periodStart == Fixture.t0 }?.usage == 5,
            "the ended period's record is not rewritten"
        )
        #expect(records.first { $0.periodStart == at(60_000) }?.usage == 4)
        #expect(ledger.status(of: Fixture.acme, now: at(59_999)).first?.usage == 4)
    }
}

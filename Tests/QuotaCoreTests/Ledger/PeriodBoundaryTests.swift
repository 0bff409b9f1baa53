import Testing

@testable import QuotaCore

@Suite("Period boundaries")
struct PeriodBoundaryTests {
    /// Layouts whose periods contain ``Fixture/t0``, fixed and calendar, with anchors and zones.
    static let specs: [PeriodSpec] = [
        Fixture.second,
        Fixture.minute,
        Fixture.hour,
        try! PeriodSpec(unit: .day, timeZone: TimeZoneRules(identifier: "Europe/Berlin")),
        try! PeriodSpec(unit: .week),
        try! PeriodSpec(unit: .month, anchor: BillingAnchor(day: 15)),
        try! PeriodSpec(
            unit: .month,
            anchor: BillingAnchor(day: 31),
            timeZone: TimeZoneRules(identifier: "America/New_York")
        ),
        try! PeriodSpec(
            unit: .year,
            anchor: BillingAnchor(day: 29, month: 2),
            timeZone: TimeZoneRules(identifier: "Asia/Kolkata")
        ),
    ]

    @Test("usage at the exact period end counts in the new period", arguments: specs)
    func usageAtPeriodEndStartsTheNextPeriod(spec: PeriodSpec) throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 5, .hard, period: spec), now: Fixture.t0)
        let period = spec.period(containing: Fixture.t0)
        let lastInstant = period.end.adding(milliseconds: -1)

        let filled = try ledger.consume(5, now: lastInstant)
        #expect(filled.allowed)
        #expect(filled.results[0].periodStart == period.start)
        #expect(filled.results[0].periodEnd == period.end)
        let denied = try ledger.consume(1, now: lastInstant)
        #expect(denied.allowed == false)
        #expect(denied.retryAfterMilliseconds == 1, "the period resets one millisecond later")

        let next = try ledger.consume(1, now: period.end)
        #expect(next.allowed)
        #expect(next.results[0].usage == 1, "usage restarts at 0 in the new period")
        #expect(next.results[0].periodStart == period.end)
        #expect(next.results[0].periodEnd == spec.period(containing: period.end).end)
        #expect(ledger.usage(now: period.end) == 1)

        // Both periods' usage records go to storage; the old one keeps its final value.
        let records = ledger.flushAll().records
        #expect(records.map(\.periodStart) == [period.start, period.end])
        #expect(records.map(\.usage) == [5, 1])
    }

    @Test("the reset time is fixed by the period, it does not slide with traffic")
    func resetTimeDoesNotSlide() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 3, .hard), now: Fixture.t0)
        for offset in [Int64(1_000), 30_000, 59_000] {
            let decision = try ledger.consume(1, now: at(offset))
            #expect(decision.allowed)
            #expect(decision.results[0].periodStart == Fixture.t0)
            #expect(decision.results[0].periodEnd == at(60_000))
        }
        for offset in [Int64(59_000), 59_500, 59_999] {
            let denied = try ledger.consume(1, now: at(offset))
            #expect(denied.results[0].periodEnd == at(60_000))
            #expect(denied.retryAfterMilliseconds == 60_000 - offset)
        }
        #expect(try ledger.consume(3, now: at(60_000)).allowed)
    }

    @Test("a period with no traffic in between still resets: usage of an earlier period does not carry over")
    func idlePeriodsReset() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 3, .hard), now: Fixture.t0)
        _ = try ledger.consume(3, now: at(10))
        let later = try ledger.consume(3, now: at(10 * 60_000 + 5))
        #expect(later.allowed)
        #expect(later.results[0].usage == 3)
        #expect(later.results[0].periodStart == at(10 * 60_000))
    }

    @Test("status rolls into the new period at its first instant")
    func statusAtTheBoundary() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 10, .hard), now: Fixture.t0)
        _ = try ledger.consume(4, now: at(59_999))
        let before = try #require(ledger.status(of: Fixture.acme, now: at(59_999)).first)
        #expect(before.usage == 4)
        #expect(before.period == Period(start: Fixture.t0, end: at(60_000)))
        let after = try #require(ledger.status(of: Fixture.acme, now: at(60_000)).first)
        #expect(after.usage == 0)
        #expect(after.remaining == 10)
        #expect(after.period == Period(start: at(60_000), end: at(120_000)))
    }
}

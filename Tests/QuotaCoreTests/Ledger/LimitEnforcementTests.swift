import Testing

@testable import QuotaCore

@Suite("Limits and enforcement")
struct LimitEnforcementTests {
    @Test("a hard limit of 100 per minute admits exactly 100 of 101 consumes of 1")
    func hardLimitAdmitsExactlyTheLimit() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 100, .hard), now: Fixture.t0)
        for index in 1...100 {
            let decision = try ledger.consume(1, now: at(Int64(index) * 100))
            #expect(decision.allowed, "consume \(index)")
            let item = try #require(decision.results.first)
            #expect(item.usage == Int64(index))
            #expect(item.remaining == 100 - Int64(index))
            #expect(item.exceeded == false)
            #expect(item.overage == 0)
            #expect(decision.retryAfterMilliseconds == nil)
            #expect(decision.eventID != nil)
        }
        let before = LedgerSnapshot(ledger)
        let denied = try ledger.consume(1, now: at(20_000))
        #expect(LedgerSnapshot(ledger) == before, "a denied consume must not change usage or the write-behind buffer")
        #expect(denied.allowed == false)
        #expect(denied.eventID == nil)
        #expect(denied.retryAfterMilliseconds == 40_000, "time to the end of the minute")
        let item = try #require(denied.results.first)
        #expect(item.allowed == false)
        #expect(item.enforcement == .hard)
        #expect(item.usage == 100, "usage is unchanged by a denial")
        #expect(item.limit == 100)
        #expect(item.remaining == 0)
        #expect(item.exceeded == true, "exceeded describes the would-be excess")
        #expect(item.overage == 1)
        #expect(item.periodStart == Fixture.t0)
        #expect(item.periodEnd == at(60_000))
        #expect(ledger.usage(now: at(20_000)) == 100)
    }

    @Test("a denied consume larger than 1 reports the whole would-be overage")
    func deniedOverageIsTheWouldBeExcess() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 10, .hard), now: Fixture.t0)
        _ = try ledger.consume(7, now: Fixture.t0)
        let denied = try ledger.consume(5, now: at(59_999))
        #expect(denied.allowed == false)
        #expect(denied.retryAfterMilliseconds == 1)
        #expect(denied.results[0].usage == 7)
        #expect(denied.results[0].remaining == 3)
        #expect(denied.results[0].overage == 2)
        #expect(denied.results[0].exceeded)
        // What fits is still admitted.
        #expect(try ledger.consume(3, now: at(59_999)).allowed)
    }

    @Test("a soft limit admits everything and reports exceeded with overage = usage - limit")
    func softLimitAdmitsAndReports() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 10, .soft), now: Fixture.t0)
        for index in Int64(1)...15 {
            let decision = try ledger.consume(1, now: at(index))
            #expect(decision.allowed)
            #expect(decision.retryAfterMilliseconds == nil)
            let item = decision.results[0]
            #expect(item.allowed)
            #expect(item.enforcement == .soft)
            #expect(item.usage == index)
            #expect(item.exceeded == (index > 10))
            #expect(item.overage == max(0, index - 10))
            #expect(item.remaining == max(0, 10 - index))
        }
        let status = try #require(ledger.status(of: Fixture.acme, now: at(100)).first)
        #expect(status.usage == 15)
        #expect(status.exceeded)
        #expect(status.remaining == 0)
    }

    @Test("enforcement none never denies")
    func noneNeverDenies() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 5, .none), now: Fixture.t0)
        for index in Int64(1)...10 {
            let decision = try ledger.consume(3, now: at(index))
            #expect(decision.allowed)
            #expect(decision.results[0].allowed)
            #expect(decision.results[0].enforcement == .none)
            #expect(decision.results[0].usage == 3 * index)
            #expect(decision.retryAfterMilliseconds == nil)
        }
        #expect(ledger.usage(now: at(100)) == 30)
    }

    @Test("a hard limit of 0 denies every consume", arguments: [Int64(1), 2, 1_000, Int64.max])
    func zeroHardLimitDeniesEverything(amount: Int64) throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 0, .hard), now: Fixture.t0)
        let before = LedgerSnapshot(ledger)
        for offset in [Int64(0), 30_000, 59_999, 60_000, 3_600_000] {
            let decision = try ledger.consume(amount, now: at(offset))
            #expect(decision.allowed == false)
            #expect(decision.results[0].usage == 0)
            #expect(decision.results[0].remaining == 0)
            #expect(decision.results[0].overage == amount)
        }
        #expect(LedgerSnapshot(ledger).unflushedCount == before.unflushedCount)
        #expect(ledger.usage(now: at(3_600_000)) == 0)
    }

    @Test("setting a limit again replaces it and raising it admits more at once")
    func raisingALimitTakesEffectAtOnce() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 10, .hard), now: Fixture.t0)
        for _ in 0..<10 { #expect(try ledger.consume(1, now: at(1)).allowed) }
        #expect(try ledger.consume(1, now: at(2)).allowed == false)
        try ledger.setLimit(makeLimit(value: 15, .hard), now: at(3))
        #expect(ledger.limits(of: Fixture.acme).count == 1, "the limit is replaced, not added")
        #expect(ledger.limit(tenant: Fixture.acme, metric: Fixture.calls)?.value == 15)
        let admitted = try ledger.consume(5, now: at(4))
        #expect(admitted.allowed)
        #expect(admitted.results[0].usage == 15, "usage of the current period is kept across the change")
        #expect(admitted.results[0].limit == 15)
        #expect(admitted.results[0].remaining == 0)
        #expect(try ledger.consume(1, now: at(5)).allowed == false)
    }

    @Test("lowering a limit below usage denies further hard consumes; remaining is 0, never negative")
    func loweringALimitBelowUsage() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 100, .hard), now: Fixture.t0)
        _ = try ledger.consume(50, now: at(1))
        try ledger.setLimit(makeLimit(value: 20, .hard), now: at(2))
        let denied = try ledger.consume(1, now: at(3))
        #expect(denied.allowed == false)
        #expect(denied.results[0].usage == 50)
        #expect(denied.results[0].limit == 20)
        #expect(denied.results[0].remaining == 0)
        #expect(denied.results[0].overage == 31)
        let status = try #require(ledger.status(of: Fixture.acme, now: at(4)).first)
        #expect(status.remaining == 0)
        #expect(status.exceeded)
        #expect(status.limit == 20)
        // A check of 0 reports the same clamped remaining.
        let peek = try ledger.check(0, now: at(5))
        #expect(peek.results[0].remaining == 0)
        // The next period starts from zero under the new limit.
        #expect(try ledger.consume(20, now: at(60_000)).allowed)
        #expect(try ledger.consume(1, now: at(60_001)).allowed == false)
    }

    @Test("remaining is never above the limit", arguments: [Int64(0), 1, 7, 1_000])
    func remainingNeverAboveLimit(value: Int64) throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: value, .soft), now: Fixture.t0)
        let peek = try ledger.check(0, now: at(1))
        #expect(peek.results[0].remaining == value)
        // A release of more than was used leaves usage at 0, so remaining stays at the limit.
        let released = try ledger.release(5, now: at(2))
        #expect(released.results[0].usage == 0)
        #expect(released.results[0].remaining == value)
        let status = try #require(ledger.status(of: Fixture.acme, now: at(3)).first)
        #expect(status.remaining == value)
    }

    @Test("a limit change is queued for storage")
    func limitChangesAreWrittenBehind() throws {
        var ledger = makeLedger()
        let first = try makeLimit(value: 10, .hard)
        let second = try makeLimit(value: 20, .soft, period: Fixture.hour)
        try ledger.setLimit(first, now: Fixture.t0)
        try ledger.setLimit(second, now: at(1))
        try ledger.removeLimit(tenant: Fixture.acme, metric: Fixture.calls, now: at(2))
        let batch = ledger.flushAll()
        #expect(batch.limitChanges == [.set(first), .set(second), .removed(Fixture.acme, Fixture.calls)])
    }

    @Test("removing a limit twice fails with quota_not_found; the metric is then tracked as unknown")
    func removeLimit() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 5, .hard), now: Fixture.t0)
        _ = try ledger.consume(5, now: at(1))
        #expect(try ledger.consume(1, now: at(2)).allowed == false)
        try ledger.removeLimit(tenant: Fixture.acme, metric: Fixture.calls, now: at(3))
        #expect(ledger.limit(tenant: Fixture.acme, metric: Fixture.calls) == nil)
        #expect(ledger.limits(of: Fixture.acme).isEmpty)
        expectRefusal(.quotaNotFound, &ledger) { ledger in
            try ledger.removeLimit(tenant: Fixture.acme, metric: Fixture.calls, now: at(4))
        }
        expectRefusal(.quotaNotFound, &ledger) { ledger in
            try ledger.removeLimit(tenant: Fixture.globex, metric: Fixture.calls, now: at(4))
        }
        let decision = try ledger.consume(1_000, now: at(5))
        #expect(decision.allowed)
        let item = decision.results[0]
        #expect(item.enforcement == .none)
        #expect(item.limit == nil)
        #expect(item.remaining == nil)
        #expect(item.exceeded == false)
        #expect(item.periodStart == Fixture.monthStart, "an unknown metric lives in the default calendar month")
        #expect(item.periodEnd == Fixture.monthEnd)
        let status = try #require(ledger.status(of: Fixture.acme, now: at(6)).first)
        #expect(status.enforcement == .none)
        #expect(status.limit == nil)
        #expect(status.periodUnit == .month)
    }

    @Test("a negative limit value is refused")
    func negativeLimitValue() throws {
        expectQuotaError(.invalidArgument) { try makeLimit(value: -1, .hard) }
        expectQuotaError(.invalidArgument) { try makeLimit(value: Int64.min, .soft) }
        #expect(try makeLimit(value: 0, .hard).value == 0)
    }
}

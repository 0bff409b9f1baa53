import Testing

@testable import QuotaCore

@Suite("Unknown metrics")
struct UnknownMetricTests {
    @Test("by default a metric without a limit is tracked with enforcement none in the calendar month")
    func unknownMetricsAreTracked() throws {
        var ledger = makeLedger()
        for index in Int64(1)...3 {
            let decision = try ledger.consume(Fixture.acme, Fixture.exports, 1_000_000, now: at(index))
            #expect(decision.allowed)
            let item = decision.results[0]
            #expect(item.enforcement == .none)
            #expect(item.usage == 1_000_000 * index)
            #expect(item.limit == nil)
            #expect(item.remaining == nil)
            #expect(item.exceeded == false)
            #expect(item.overage == 0)
            #expect(item.periodStart == Fixture.monthStart)
            #expect(item.periodEnd == Fixture.monthEnd)
        }
        let status = ledger.status(of: Fixture.acme, now: at(10))
        #expect(status.map(\.metric) == [Fixture.exports])
        #expect(status.first?.usage == 3_000_000)
        #expect(status.first?.enforcement == Enforcement.none)
        #expect(status.first?.periodUnit == .month)
        #expect(ledger.flushAll().events.count == 3, "unknown metrics are fully audited")
    }

    @Test("the period of unknown metrics is configurable")
    func unknownMetricPeriodIsConfigurable() throws {
        var ledger = makeLedger(LedgerConfiguration(unknownMetricPeriod: Fixture.hour))
        let decision = try ledger.consume(Fixture.acme, Fixture.exports, 1, now: at(5))
        #expect(decision.results[0].periodStart == Fixture.t0)
        #expect(decision.results[0].periodEnd == at(3_600_000))
        #expect(try ledger.consume(Fixture.acme, Fixture.exports, 1, now: at(3_600_000)).results[0].usage == 1)
    }

    @Test("with unknownMetrics .reject, consume, check and release throw quota_not_found and change nothing")
    func rejectedUnknownMetrics() throws {
        var ledger = makeLedger(LedgerConfiguration(unknownMetrics: .reject))
        try ledger.setLimit(makeLimit(value: 10, .hard), now: Fixture.t0)
        _ = try ledger.consume(2, now: at(1))
        let key = try idempotencyKey("req-1")
        let unknownOnly = try usageRequest([(Fixture.exports, 1)], key: key)
        // The known item comes first: it must not be applied either.
        let mixed = try usageRequest([(Fixture.calls, 1), (Fixture.exports, 1)], key: key)
        for request in [unknownOnly, mixed] {
            expectRefusal(.quotaNotFound, &ledger) { ledger in _ = try ledger.consume(request, now: at(2)) }
            expectRefusal(.quotaNotFound, &ledger) { ledger in _ = try ledger.check(request, now: at(2)) }
            expectRefusal(.quotaNotFound, &ledger) { ledger in _ = try ledger.release(request, now: at(2)) }
        }
        expectRefusal(.quotaNotFound, &ledger) { ledger in
            _ = try ledger.consume(Fixture.globex, Fixture.calls, 1, now: at(3))
        }
        #expect(ledger.idempotency.isEmpty)
        #expect(ledger.usage(now: at(4)) == 2)
        // Metrics with a limit work as usual.
        #expect(try ledger.consume(1, key: key, now: at(5)).allowed)
    }

    @Test("with unknownMetrics .reject, removing the limit makes the metric refused")
    func removingALimitUnderReject() throws {
        var ledger = makeLedger(LedgerConfiguration(unknownMetrics: .reject))
        try ledger.setLimit(makeLimit(value: 10, .hard), now: Fixture.t0)
        _ = try ledger.consume(2, now: at(1))
        try ledger.removeLimit(tenant: Fixture.acme, metric: Fixture.calls, now: at(2))
        expectRefusal(.quotaNotFound, &ledger) { ledger in _ = try ledger.consume(1, now: at(3)) }
    }
}

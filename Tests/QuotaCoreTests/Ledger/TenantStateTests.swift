import Testing

@testable import QuotaCore

@Suite("Tenant state: entries per metric, indexed past the threshold")
struct TenantStateTests {
    static let metricCount = TenantState.indexThreshold * 3

    @Test("a tenant with more metrics than the index threshold keeps each metric's limit and usage")
    func manyMetrics() throws {
        var ledger = makeLedger()
        let metrics = try (0..<Self.metricCount).map { try metricCode("metric_\($0)") }
        for (index, metric) in metrics.enumerated() where index.isMultiple(of: 2) {
            try ledger.setLimit(makeLimit(Fixture.acme, metric, value: 10, .hard), now: Fixture.t0)
        }
        for (index, metric) in metrics.enumerated() {
            _ = try ledger.consume(usageRequest([(metric, Int64(index % 10) + 1)]), now: Fixture.t0)
        }
        for (index, metric) in metrics.enumerated() {
            #expect(ledger.counter(tenant: Fixture.acme, metric: metric)?.usage == Int64(index % 10) + 1)
            #expect((ledger.limit(tenant: Fixture.acme, metric: metric) != nil) == index.isMultiple(of: 2))
        }
        let status = ledger.status(of: Fixture.acme, now: Fixture.t0)
        #expect(status.map(\.metric) == metrics.sorted())
        #expect(
            ledger.limits(of: Fixture.acme).map(\.metric)
                == metrics.enumerated().filter { $0.offset % 2 == 0 }
                .map(\.element).sorted()
        )
    }

    @Test("positions stay those of first use, with and without the index")
    func positions() throws {
        var state = TenantState()
        let metrics = try (0..<Self.metricCount).map { try metricCode("m\($0)") }
        for (index, metric) in metrics.enumerated() {
            #expect(state.position(adding: metric) == index)
        }
        for (index, metric) in metrics.enumerated() {
            #expect(state.position(of: metric) == index)
            #expect(state.position(adding: metric) == index)
        }
        #expect(state.position(of: try metricCode("absent")) == nil)
        #expect(state.entries.count == metrics.count)
    }

    @Test("removing the limit of a metric without an entry adds nothing; a removed limit leaves the counter")
    func removal() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 5, .hard), now: Fixture.t0)
        _ = try ledger.consume(usageRequest([(Fixture.calls, 2)]), now: Fixture.t0)
        try ledger.removeLimit(tenant: Fixture.acme, metric: Fixture.calls, now: Fixture.t0)
        #expect(ledger.limit(tenant: Fixture.acme, metric: Fixture.calls) == nil)
        #expect(ledger.counter(tenant: Fixture.acme, metric: Fixture.calls)?.usage == 2)
        var state = TenantState()
        state.setLimit(nil, of: Fixture.calls)
        #expect(state.entries.isEmpty)
    }
}

@Suite("Period spec table")
struct PeriodSpecTableTests {
    @Test("equal layouts share one index; different ones get the next")
    func interning() throws {
        var table = PeriodSpecTable()
        let minute = try PeriodSpec(unit: .minute)
        let month = try PeriodSpec(unit: .month)
        let berlin = try PeriodSpec(unit: .month, timeZone: TimeZoneRules(identifier: "Europe/Berlin"))
        #expect(table.intern(minute) == 0)
        #expect(table.intern(month) == 1)
        #expect(table.intern(try PeriodSpec(unit: .minute)) == 0)
        #expect(table.intern(berlin) == 2)
        #expect(table[1] == month)
        #expect(table[2] == berlin)
    }
}

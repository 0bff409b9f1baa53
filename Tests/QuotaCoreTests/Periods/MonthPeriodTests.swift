import Testing

@testable import QuotaCore

@Suite("Month periods")
struct MonthPeriodTests {
    /// The first `count` period starts from the period containing `instant`, walking period ends.
    private func starts(_ spec: PeriodSpec, from instant: String, count: Int) throws -> [String] {
        var period = spec.period(containing: try at(instant))
        var result: [String] = []
        for _ in 0..<count {
            result.append(period.start.description)
            let next = spec.period(containing: period.end)
            #expect(next.start == period.end)
            period = next
        }
        return result
    }

    @Test("the default cycle is the calendar month")
    func calendarMonth() throws {
        let spec = try PeriodSpec(unit: .month)
        try expectPeriod(spec, containing: "2026-02-15T12:00:00Z", is: "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z")
        try expectPeriod(
            spec,
            containing: "2026-12-31T23:59:59.999Z",
            is: "2026-12-01T00:00:00Z",
            "2027-01-01T00:00:00Z"
        )
        try expectPeriod(spec, containing: "1969-12-15T00:00:00Z", is: "1969-12-01T00:00:00Z", "1970-01-01T00:00:00Z")
        #expect(
            try PeriodSpec(unit: .month, anchor: BillingAnchor(day: 1)).period(
                containing: try at("2026-02-15T12:00:00Z")
            )
                == spec.period(containing: try at("2026-02-15T12:00:00Z"))
        )
    }

    @Test("anchored on the 31st in 2027: Jan 31, Feb 28, Mar 31, Apr 30, May 31, Jun 30")
    func anchor31NonLeap() throws {
        let spec = try PeriodSpec(unit: .month, anchor: BillingAnchor(day: 31))
        #expect(
            try starts(spec, from: "2027-02-01T00:00:00Z", count: 6) == [
                "2027-01-31T00:00:00.000Z", "2027-02-28T00:00:00.000Z", "2027-03-31T00:00:00.000Z",
                "2027-04-30T00:00:00.000Z", "2027-05-31T00:00:00.000Z", "2027-06-30T00:00:00.000Z",
            ]
        )
        try expectPeriod(
            spec,
            containing: "2027-02-27T23:59:59.999Z",
            is: "2027-01-31T00:00:00Z",
            "2027-02-28T00:00:00Z"
        )
    }

    @Test("anchored on the 31st in 2028: Jan 31, Feb 29, Mar 31, Apr 30, May 31")
    func anchor31Leap() throws {
        let spec = try PeriodSpec(unit: .month, anchor: BillingAnchor(day: 31))
        #expect(
            try starts(spec, from: "2028-01-31T00:00:00Z", count: 5) == [
                "2028-01-31T00:00:00.000Z", "2028-02-29T00:00:00.000Z", "2028-03-31T00:00:00.000Z",
                "2028-04-30T00:00:00.000Z", "2028-05-31T00:00:00.000Z",
            ]
        )
        try expectPeriod(
            spec,
            containing: "2028-02-28T23:59:59.999Z",
            is: "2028-01-31T00:00:00Z",
            "2028-02-29T00:00:00Z"
        )
        try expectPeriod(spec, containing: "2028-02-29T00:00:00Z", is: "2028-02-29T00:00:00Z", "2028-03-31T00:00:00Z")
    }

    @Test("anchored on the 30th, February is clamped and March returns to the 30th")
    func anchor30() throws {
        let spec = try PeriodSpec(unit: .month, anchor: BillingAnchor(day: 30))
        #expect(
            try starts(spec, from: "2027-01-30T00:00:00Z", count: 4) == [
                "2027-01-30T00:00:00.000Z", "2027-02-28T00:00:00.000Z", "2027-03-30T00:00:00.000Z",
                "2027-04-30T00:00:00.000Z",
            ]
        )
    }

    @Test("anchored on the 15th, a cycle spans two calendar months")
    func anchor15() throws {
        let spec = try PeriodSpec(unit: .month, anchor: BillingAnchor(day: 15))
        try expectPeriod(
            spec,
            containing: "2026-03-14T23:59:59.999Z",
            is: "2026-02-15T00:00:00Z",
            "2026-03-15T00:00:00Z"
        )
        try expectPeriod(spec, containing: "2026-03-15T00:00:00Z", is: "2026-03-15T00:00:00Z", "2026-04-15T00:00:00Z")
        try expectPeriod(spec, containing: "2027-01-10T00:00:00Z", is: "2026-12-15T00:00:00Z", "2027-01-15T00:00:00Z")
    }

    @Test("a local monthly cycle starts at local midnight, across DST")
    func newYorkAnchor15() throws {
        let spec = try PeriodSpec(unit: .month, anchor: BillingAnchor(day: 15), timeZone: zone("America/New_York"))
        // 2026-02-15 00:00 EST to 2026-03-15 00:00 EDT: 28 days minus the hour lost on March 8.
        try expectPeriod(
            spec,
            containing: "2026-03-15T03:59:59.999Z",
            is: "2026-02-15T05:00:00Z",
            "2026-03-15T04:00:00Z"
        )
        #expect(spec.period(containing: try at("2026-03-01T00:00:00Z")).durationMilliseconds == (28 * 24 - 1) * hourMs)
    }

    @Test("a month in Berlin starts at local midnight")
    func berlinMonth() throws {
        let spec = try PeriodSpec(unit: .month, timeZone: zone("Europe/Berlin"))
        try expectPeriod(spec, containing: "2026-03-31T21:30:00Z", is: "2026-02-28T23:00:00Z", "2026-03-31T22:00:00Z")
    }
}

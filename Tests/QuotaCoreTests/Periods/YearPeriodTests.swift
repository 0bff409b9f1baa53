import Testing

@testable import QuotaCore

@Suite("Year periods")
struct YearPeriodTests {
    @Test("the default cycle is the calendar year")
    func calendarYear() throws {
        let spec = try PeriodSpec(unit: .year)
        try expectPeriod(spec, containing: "2026-07-01T00:00:00Z", is: "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z")
        try expectPeriod(
            spec,
            containing: "2028-12-31T23:59:59.999Z",
            is: "2028-01-01T00:00:00Z",
            "2029-01-01T00:00:00Z"
        )
        try expectPeriod(spec, containing: "1969-06-01T00:00:00Z", is: "1969-01-01T00:00:00Z", "1970-01-01T00:00:00Z")
    }

    @Test("a calendar year in Berlin starts at local midnight")
    func berlinYear() throws {
        let spec = try PeriodSpec(unit: .year, timeZone: zone("Europe/Berlin"))
        try expectPeriod(spec, containing: "2025-12-31T23:30:00Z", is: "2025-12-31T23:00:00Z", "2026-12-31T23:00:00Z")
    }

    @Test("an anchor of February 29 clamps to February 28 in non-leap years")
    func february29() throws {
        let spec = try PeriodSpec(unit: .year, anchor: BillingAnchor(day: 29, month: 2))
        try expectPeriod(spec, containing: "2027-06-01T00:00:00Z", is: "2027-02-28T00:00:00Z", "2028-02-29T00:00:00Z")
        try expectPeriod(spec, containing: "2028-02-29T00:00:00Z", is: "2028-02-29T00:00:00Z", "2029-02-28T00:00:00Z")
        try expectPeriod(
            spec,
            containing: "2028-02-28T23:59:59.999Z",
            is: "2027-02-28T00:00:00Z",
            "2028-02-29T00:00:00Z"
        )
        // 2100 is not a leap year.
        try expectPeriod(spec, containing: "2100-03-01T00:00:00Z", is: "2100-02-28T00:00:00Z", "2101-02-28T00:00:00Z")
    }

    @Test("an anchor of April 15 in New York starts at local midnight")
    func april15() throws {
        let spec = try PeriodSpec(
            unit: .year,
            anchor: BillingAnchor(day: 15, month: 4),
            timeZone: zone("America/New_York")
        )
        try expectPeriod(
            spec,
            containing: "2026-04-15T03:59:59.999Z",
            is: "2025-04-15T04:00:00Z",
            "2026-04-15T04:00:00Z"
        )
        try expectPeriod(spec, containing: "2026-04-15T04:00:00Z", is: "2026-04-15T04:00:00Z", "2027-04-15T04:00:00Z")
    }

    @Test("an anchor of December 31 puts most of a year in the previous cycle")
    func december31() throws {
        let spec = try PeriodSpec(unit: .year, anchor: BillingAnchor(day: 31, month: 12))
        try expectPeriod(spec, containing: "2026-12-30T00:00:00Z", is: "2025-12-31T00:00:00Z", "2026-12-31T00:00:00Z")
    }
}

import Testing

@testable import QuotaCore

@Suite("Week periods")
struct WeekPeriodTests {
    @Test("an ISO week starts on Monday at UTC midnight")
    func utcWeek() throws {
        let spec = try PeriodSpec(unit: .week)
        // 2026-01-01 is a Thursday; its ISO week starts Monday 2025-12-29.
        try expectPeriod(spec, containing: "2026-01-01T12:00:00Z", is: "2025-12-29T00:00:00Z", "2026-01-05T00:00:00Z")
        // Sunday is the last day of the week, Monday the first.
        try expectPeriod(
            spec,
            containing: "2026-05-17T23:59:59.999Z",
            is: "2026-05-11T00:00:00Z",
            "2026-05-18T00:00:00Z"
        )
        try expectPeriod(spec, containing: "2026-05-18T00:00:00Z", is: "2026-05-18T00:00:00Z", "2026-05-25T00:00:00Z")
        // Around the epoch, which was a Thursday.
        try expectPeriod(spec, containing: "1970-01-01T00:00:00Z", is: "1969-12-29T00:00:00Z", "1970-01-05T00:00:00Z")
    }

    @Test("every week starts on an ISO Monday")
    func startsOnMonday() throws {
        let spec = try PeriodSpec(unit: .week, timeZone: zone("Pacific/Chatham"))
        let chatham = spec.timeZone
        var period = spec.period(containing: try at("2024-01-01T00:00:00Z"))
        for _ in 0..<160 {
            let startDay = CivilDate(daysSinceEpoch: chatham.localDay(of: period.start))
            #expect(startDay.isoWeekday == 1)
            #expect(chatham.wallTime(at: period.start) % millisecondsPerDay == 0)
            period = spec.period(containing: period.end)
        }
    }

    @Test("a local week starts Monday at local midnight and loses an hour across spring-forward")
    func berlinWeek() throws {
        let spec = try PeriodSpec(unit: .week, timeZone: zone("Europe/Berlin"))
        // Monday 2026-03-23 00:00 CET to Monday 2026-03-30 00:00 CEST.
        try expectPeriod(spec, containing: "2026-03-29T12:00:00Z", is: "2026-03-22T23:00:00Z", "2026-03-29T22:00:00Z")
        #expect(spec.period(containing: try at("2026-03-29T12:00:00Z")).durationMilliseconds == 167 * hourMs)
    }

    @Test("Sunday late evening in New York is still the old week")
    func newYorkWeek() throws {
        let spec = try PeriodSpec(unit: .week, timeZone: zone("America/New_York"))
        try expectPeriod(
            spec,
            containing: "2026-01-05T04:59:59.999Z",
            is: "2025-12-29T05:00:00Z",
            "2026-01-05T05:00:00Z"
        )
    }
}

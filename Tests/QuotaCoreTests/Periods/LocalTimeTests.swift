import Testing

@testable import QuotaCore

/// The local-wall-time to UTC rule: overlaps take the earliest instant, gaps the transition instant.
@Suite("Local wall time to UTC")
struct LocalTimeTests {
    /// ms since 1970-01-01T00:00 local for a local date and time.
    private func wall(_ year: Int64, _ month: Int, _ day: Int, _ hour: Int64 = 0, _ minute: Int64 = 0) -> Int64 {
        CivilDate(year: year, month: month, day: day).daysSinceEpoch * millisecondsPerDay + hour * hourMs + minute
            * 60_000
    }

    @Test("an ordinary local time maps to the single instant that shows it")
    func ordinary() throws {
        let berlin = try zone("Europe/Berlin")
        #expect(berlin.instant(atWallTime: wall(2026, 7, 1, 12)) == (try at("2026-07-01T10:00:00Z")))
        #expect(TimeZoneRules.utc.instant(atWallTime: wall(2026, 7, 1, 12)) == (try at("2026-07-01T12:00:00Z")))
    }

    @Test("a time repeated when clocks go back maps to its first occurrence")
    func overlapTakesEarliest() throws {
        let newYork = try zone("America/New_York")
        // 01:30 on 2026-11-01 is 05:30 UT (EDT) and again 06:30 UT (EST).
        #expect(newYork.instant(atWallTime: wall(2026, 11, 1, 1, 30)) == (try at("2026-11-01T05:30:00Z")))
        let havana = try zone("America/Havana")
        // Midnight on 2026-11-01 is 04:00 UT (CDT) and again 05:00 UT (CST).
        #expect(
            havana.startOfLocalDay(CivilDate(year: 2026, month: 11, day: 1).daysSinceEpoch)
                == (try at("2026-11-01T04:00:00Z"))
        )
    }

    @Test("a time skipped when clocks go forward maps to the transition instant")
    func gapTakesTransition() throws {
        let newYork = try zone("America/New_York")
        // 02:00–03:00 on 2026-03-08 does not exist; the transition is 07:00 UT.
        #expect(newYork.instant(atWallTime: wall(2026, 3, 8, 2, 30)) == (try at("2026-03-08T07:00:00Z")))
        #expect(newYork.instant(atWallTime: wall(2026, 3, 8, 2)) == (try at("2026-03-08T07:00:00Z")))
        #expect(newYork.instant(atWallTime: wall(2026, 3, 8, 3)) == (try at("2026-03-08T07:00:00Z")))
        let havana = try zone("America/Havana")
        #expect(
            havana.startOfLocalDay(CivilDate(year: 2026, month: 3, day: 8).daysSinceEpoch)
                == (try at("2026-03-08T05:00:00Z"))
        )
        let lordHowe = try zone("Australia/Lord_Howe")
        // 02:00–02:30 on 2026-10-04 does not exist; the transition is 15:30 UT the day before.
        #expect(lordHowe.instant(atWallTime: wall(2026, 10, 4, 2, 10)) == (try at("2026-10-03T15:30:00Z")))
    }

    @Test("a skipped calendar day maps to the transition instant")
    func skippedDay() throws {
        let apia = try zone("Pacific/Apia")
        let transition = try at("2011-12-30T10:00:00Z")
        #expect(apia.startOfLocalDay(CivilDate(year: 2011, month: 12, day: 30).daysSinceEpoch) == transition)
        #expect(apia.startOfLocalDay(CivilDate(year: 2011, month: 12, day: 31).daysSinceEpoch) == transition)
        let kwajalein = try zone("Pacific/Kwajalein")
        #expect(
            kwajalein.startOfLocalDay(CivilDate(year: 1993, month: 8, day: 21).daysSinceEpoch)
                == (try at("1993-08-21T12:00:00Z"))
        )
    }

    @Test("the local day of an instant follows the wall clock")
    func localDayOfInstant() throws {
        let newYork = try zone("America/New_York")
        let day = CivilDate(year: 2026, month: 3, day: 8).daysSinceEpoch
        #expect(newYork.localDay(of: try at("2026-03-09T03:59:59.999Z")) == day)
        #expect(newYork.localDay(of: try at("2026-03-09T04:00:00Z")) == day + 1)
        #expect(newYork.wallTime(at: try at("2026-03-09T04:00:00Z")) == (day + 1) * millisecondsPerDay)
    }
}

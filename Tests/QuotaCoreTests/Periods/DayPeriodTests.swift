import Testing

@testable import QuotaCore

@Suite("Day periods")
struct DayPeriodTests {
    @Test("a UTC day runs from midnight to midnight")
    func utcDay() throws {
        let spec = try PeriodSpec(unit: .day)
        try expectPeriod(spec, containing: "2026-05-17T13:14:15Z", is: "2026-05-17T00:00:00Z", "2026-05-18T00:00:00Z")
        try expectPeriod(spec, containing: "1969-12-31T12:00:00Z", is: "1969-12-31T00:00:00Z", "1970-01-01T00:00:00Z")
    }

    @Test("a local day starts at local midnight")
    func localDay() throws {
        let spec = try PeriodSpec(unit: .day, timeZone: zone("Asia/Kolkata"))
        try expectPeriod(
            spec,
            containing: "2026-05-17T18:29:59.999Z",
            is: "2026-05-16T18:30:00Z",
            "2026-05-17T18:30:00Z"
        )
        try expectPeriod(spec, containing: "2026-05-17T18:30:00Z", is: "2026-05-17T18:30:00Z", "2026-05-18T18:30:00Z")
    }

    @Test("America/New_York: 2026-03-08 lasts 23 h, 2026-11-01 lasts 25 h")
    func newYorkDST() throws {
        let spec = try PeriodSpec(unit: .day, timeZone: zone("America/New_York"))
        let spring = spec.period(containing: try at("2026-03-08T12:00:00Z"))
        #expect(spring == Period(start: try at("2026-03-08T05:00:00Z"), end: try at("2026-03-09T04:00:00Z")))
        #expect(spring.durationMilliseconds == 23 * hourMs)
        let fall = spec.period(containing: try at("2026-11-01T12:00:00Z"))
        #expect(fall == Period(start: try at("2026-11-01T04:00:00Z"), end: try at("2026-11-02T05:00:00Z")))
        #expect(fall.durationMilliseconds == 25 * hourMs)
        // A day that does not touch a transition stays 24 h.
        #expect(spec.period(containing: try at("2026-03-10T12:00:00Z")).durationMilliseconds == 24 * hourMs)
    }

    @Test("Europe/Berlin: 2026-03-29 lasts 23 h, 2026-10-25 lasts 25 h")
    func berlinDST() throws {
        let spec = try PeriodSpec(unit: .day, timeZone: zone("Europe/Berlin"))
        let spring = spec.period(containing: try at("2026-03-29T12:00:00Z"))
        #expect(spring == Period(start: try at("2026-03-28T23:00:00Z"), end: try at("2026-03-29T22:00:00Z")))
        #expect(spring.durationMilliseconds == 23 * hourMs)
        let fall = spec.period(containing: try at("2026-10-25T12:00:00Z"))
        #expect(fall == Period(start: try at("2026-10-24T22:00:00Z"), end: try at("2026-10-25T23:00:00Z")))
        #expect(fall.durationMilliseconds == 25 * hourMs)
    }

    @Test("Australia/Lord_Howe: 30-minute DST gives 24.5 h and 23.5 h days")
    func lordHoweDST() throws {
        let spec = try PeriodSpec(unit: .day, timeZone: zone("Australia/Lord_Howe"))
        try expectPeriod(spec, containing: "2026-04-05T00:00:00Z", is: "2026-04-04T13:00:00Z", "2026-04-05T13:30:00Z")
        #expect(
            spec.period(containing: try at("2026-04-05T00:00:00Z")).durationMilliseconds == 24 * hourMs + hourMs / 2
        )
        try expectPeriod(spec, containing: "2026-10-04T00:00:00Z", is: "2026-10-03T13:30:00Z", "2026-10-04T13:00:00Z")
        #expect(
            spec.period(containing: try at("2026-10-04T00:00:00Z")).durationMilliseconds == 23 * hourMs + hourMs / 2
        )
    }

    @Test("America/Havana: a midnight in a gap starts the day at the transition instant")
    func havanaMidnightGap() throws {
        // zdump: 2026-03-08 05:00:00 UT, clocks jump from 00:00 CST to 01:00 CDT.
        let spec = try PeriodSpec(unit: .day, timeZone: zone("America/Havana"))
        try expectPeriod(
            spec,
            containing: "2026-03-08T04:59:59.999Z",
            is: "2026-03-07T05:00:00Z",
            "2026-03-08T05:00:00Z"
        )
        try expectPeriod(spec, containing: "2026-03-08T05:00:00Z", is: "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z")
        #expect(spec.period(containing: try at("2026-03-08T12:00:00Z")).durationMilliseconds == 23 * hourMs)
    }

    @Test("America/Havana: a midnight that occurs twice starts the day at its first occurrence")
    func havanaMidnightOverlap() throws {
        // zdump: 2026-11-01 05:00:00 UT, clocks fall back from 01:00 CDT to 00:00 CST, so local
        // midnight is both 04:00 UT (CDT) and 05:00 UT (CST).
        let spec = try PeriodSpec(unit: .day, timeZone: zone("America/Havana"))
        try expectPeriod(spec, containing: "2026-10-31T12:00:00Z", is: "2026-10-31T04:00:00Z", "2026-11-01T04:00:00Z")
        try expectPeriod(spec, containing: "2026-11-01T05:30:00Z", is: "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z")
        #expect(spec.period(containing: try at("2026-11-01T04:00:00Z")).durationMilliseconds == 25 * hourMs)
    }

    @Test("America/Santiago: midnight skipped in September, 23:00 repeated in April")
    func santiago() throws {
        // zdump: 2026-09-06 04:00:00 UT, 24:00 -04 becomes 01:00 -03;
        //        2026-04-05 03:00:00 UT, 24:00 -03 becomes 23:00 -04 on April 4.
        let spec = try PeriodSpec(unit: .day, timeZone: zone("America/Santiago"))
        try expectPeriod(
            spec,
            containing: "2026-09-06T03:59:59.999Z",
            is: "2026-09-05T04:00:00Z",
            "2026-09-06T04:00:00Z"
        )
        try expectPeriod(spec, containing: "2026-09-06T12:00:00Z", is: "2026-09-06T04:00:00Z", "2026-09-07T03:00:00Z")
        // 03:30 UT reads 23:30 on April 4 a second time; it still belongs to April 4.
        try expectPeriod(spec, containing: "2026-04-05T03:30:00Z", is: "2026-04-04T03:00:00Z", "2026-04-05T04:00:00Z")
        #expect(spec.period(containing: try at("2026-04-04T12:00:00Z")).durationMilliseconds == 25 * hourMs)
    }

    @Test("Australia/Lord_Howe 1981-03-01: clocks jumped from 00:00 to 00:30, so the day starts at the jump")
    func lordHoweMidnightGap() throws {
        // zdump: 1981-02-28 14:00:00 UT, Feb 28 23:59:59 +10 becomes Mar 1 00:30:00 +10:30.
        let day = try PeriodSpec(unit: .day, timeZone: zone("Australia/Lord_Howe"))
        try expectPeriod(
            day,
            containing: "1981-02-28T13:59:59.999Z",
            is: "1981-02-27T14:00:00Z",
            "1981-02-28T14:00:00Z"
        )
        try expectPeriod(day, containing: "1981-02-28T14:00:00Z", is: "1981-02-28T14:00:00Z", "1981-03-01T13:30:00Z")
        #expect(day.period(containing: try at("1981-03-01T00:00:00Z")).durationMilliseconds == 23 * hourMs + hourMs / 2)
        let month = try PeriodSpec(unit: .month, timeZone: zone("Australia/Lord_Howe"))
        try expectPeriod(month, containing: "1981-03-15T00:00:00Z", is: "1981-02-28T14:00:00Z", "1981-03-31T13:30:00Z")
    }

    @Test("Pacific/Apia skipped 2011-12-30: December 29 is followed directly by December 31")
    func apiaSkippedDay() throws {
        // zdump: 2011-12-30 10:00:00 UT, Thu Dec 29 23:59:59 -10 becomes Sat Dec 31 00:00:00 +14.
        let spec = try PeriodSpec(unit: .day, timeZone: zone("Pacific/Apia"))
        try expectPeriod(
            spec,
            containing: "2011-12-30T09:59:59.999Z",
            is: "2011-12-29T10:00:00Z",
            "2011-12-30T10:00:00Z"
        )
        try expectPeriod(spec, containing: "2011-12-30T10:00:00Z", is: "2011-12-30T10:00:00Z", "2011-12-31T10:00:00Z")
    }
}

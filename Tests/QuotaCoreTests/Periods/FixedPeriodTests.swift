import Testing

@testable import QuotaCore

@Suite("Second, minute and hour periods")
struct FixedPeriodTests {
    @Test("second windows are aligned to the epoch")
    func seconds() throws {
        let spec = try PeriodSpec(unit: .second)
        try expectPeriod(
            spec,
            containing: "2026-05-17T10:20:30.456Z",
            is: "2026-05-17T10:20:30Z",
            "2026-05-17T10:20:31Z"
        )
        let period = spec.period(containing: Timestamp(millisecondsSinceEpoch: 1999))
        #expect(
            period
                == Period(start: Timestamp(millisecondsSinceEpoch: 1000), end: Timestamp(millisecondsSinceEpoch: 2000))
        )
    }

    @Test("minute windows are aligned to the epoch")
    func minutes() throws {
        let spec = try PeriodSpec(unit: .minute)
        try expectPeriod(
            spec,
            containing: "2026-05-17T10:20:30.456Z",
            is: "2026-05-17T10:20:00Z",
            "2026-05-17T10:21:00Z"
        )
    }

    @Test("hour windows are aligned to the epoch")
    func hours() throws {
        let spec = try PeriodSpec(unit: .hour)
        try expectPeriod(
            spec,
            containing: "2026-05-17T10:20:30.456Z",
            is: "2026-05-17T10:00:00Z",
            "2026-05-17T11:00:00Z"
        )
    }

    @Test("the boundary instant belongs to the new window")
    func boundary() throws {
        let spec = try PeriodSpec(unit: .minute)
        let boundary = try at("2026-05-17T10:21:00Z")
        #expect(spec.period(containing: boundary).start == boundary)
        #expect(spec.period(containing: boundary.adding(milliseconds: -1)).end == boundary)
    }

    @Test("instants before 1970 round down, not toward zero")
    func beforeEpoch() throws {
        let spec = try PeriodSpec(unit: .second)
        let period = spec.period(containing: Timestamp(millisecondsSinceEpoch: -1))
        #expect(
            period == Period(start: Timestamp(millisecondsSinceEpoch: -1000), end: Timestamp(millisecondsSinceEpoch: 0))
        )
        try expectPeriod(
            try PeriodSpec(unit: .hour),
            containing: "1969-12-31T23:59:59.999Z",
            is: "1969-12-31T23:00:00Z",
            "1970-01-01T00:00:00Z"
        )
    }

    @Test(
        "the zone does not shift sub-day periods, even with a :30 or :45 offset",
        arguments: ["Asia/Kolkata", "Pacific/Chatham", "America/New_York", "Australia/Lord_Howe"]
    )
    func zoneIgnored(identifier: String) throws {
        let instants = ["2026-05-17T10:20:30.456Z", "2026-03-08T06:59:59.999Z", "2026-04-04T15:00:00Z"]
        for unit in [PeriodUnit.second, .minute, .hour] {
            let zoned = try PeriodSpec(unit: unit, timeZone: zone(identifier))
            let utc = try PeriodSpec(unit: unit)
            for instant in instants {
                #expect(zoned.period(containing: try at(instant)) == utc.period(containing: try at(instant)))
            }
        }
        let kolkataHour = try PeriodSpec(unit: .hour, timeZone: zone("Asia/Kolkata"))
        try expectPeriod(
            kolkataHour,
            containing: "2026-05-17T10:45:00Z",
            is: "2026-05-17T10:00:00Z",
            "2026-05-17T11:00:00Z"
        )
    }

    @Test("hours keep 60 minutes across a DST change")
    func hoursAcrossDST() throws {
        let spec = try PeriodSpec(unit: .hour, timeZone: zone("America/New_York"))
        try expectPeriod(spec, containing: "2026-03-08T07:30:00Z", is: "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z")
    }
}

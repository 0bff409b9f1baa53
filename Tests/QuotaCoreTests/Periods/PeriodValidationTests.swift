import Testing

@testable import QuotaCore

@Suite("Period input validation")
struct PeriodValidationTests {
    @Test("every unit parses from its lowercase name", arguments: PeriodUnit.allCases)
    func parsesUnitNames(unit: PeriodUnit) throws {
        #expect(try PeriodUnit(parsing: unit.rawValue) == unit)
    }

    @Test("unknown period names are rejected", arguments: ["fortnight", "", "Day", "MINUTE", " hour", "days"])
    func rejectsUnknownUnit(name: String) {
        expectInvalidArgument { _ = try PeriodUnit(parsing: name) }
    }

    @Test("the unknown-period message names the input and every unit")
    func unknownUnitMessage() {
        let error = #expect(throws: QuotaError.self) { try PeriodUnit(parsing: "fortnight") }
        #expect(
            error?.message == "unknown period 'fortnight'; expected one of second, minute, hour, day, week, month, year"
        )
    }

    @Test("anchor days 1…31 are accepted for monthly anchors")
    func acceptsMonthlyAnchorDays() throws {
        for day in 1...31 {
            let anchor = try BillingAnchor(day: day)
            #expect(anchor.day == day)
            #expect(anchor.month == nil)
        }
    }

    @Test("anchor day 0 is rejected")
    func rejectsDayZero() {
        expectInvalidArgument { _ = try BillingAnchor(day: 0) }
        expectInvalidArgument { _ = try BillingAnchor(day: 0, month: 1) }
    }

    @Test("anchor day 32 is rejected")
    func rejectsDay32() {
        expectInvalidArgument { _ = try BillingAnchor(day: 32) }
        expectInvalidArgument { _ = try BillingAnchor(day: 32, month: 1) }
    }

    @Test("anchor month 13 and 0 are rejected")
    func rejectsMonthOutOfRange() {
        expectInvalidArgument { _ = try BillingAnchor(day: 1, month: 13) }
        expectInvalidArgument { _ = try BillingAnchor(day: 1, month: 0) }
    }

    @Test(
        "dates that exist in no year are rejected",
        arguments: [(4, 31), (6, 31), (9, 31), (11, 31), (2, 30), (2, 31)]
    )
    func rejectsImpossibleDates(month: Int, day: Int) {
        expectInvalidArgument { _ = try BillingAnchor(day: day, month: month) }
    }

    @Test("April 31 is rejected")
    func rejectsApril31() {
        expectInvalidArgument { _ = try BillingAnchor(day: 31, month: 4) }
    }

    @Test("February 29 and month ends are accepted")
    func acceptsFebruary29() throws {
        let anchor = try BillingAnchor(day: 29, month: 2)
        #expect(anchor.month == 2)
        #expect(anchor.day == 29)
        _ = try BillingAnchor(day: 30, month: 4)
        _ = try BillingAnchor(day: 31, month: 12)
    }

    @Test("an unknown time zone is rejected")
    func rejectsUnknownZone() {
        expectInvalidArgument { _ = try TimeZoneRules(identifier: "Mars/Olympus_Mons") }
        let error = #expect(throws: QuotaError.self) { try TimeZoneRules(identifier: "Mars/Olympus_Mons") }
        #expect(error?.message == "unknown time zone 'Mars/Olympus_Mons'")
    }

    @Test("an empty time zone is rejected")
    func rejectsEmptyZone() {
        expectInvalidArgument { _ = try TimeZoneRules(identifier: "") }
    }

    @Test(
        "an anchor on a sub-month, non-year unit is rejected",
        arguments: [PeriodUnit.second, .minute, .hour, .day, .week]
    )
    func rejectsAnchorOnOtherUnits(unit: PeriodUnit) throws {
        let monthly = try BillingAnchor(day: 1)
        let yearly = try BillingAnchor(day: 1, month: 1)
        expectInvalidArgument { _ = try PeriodSpec(unit: unit, anchor: monthly) }
        expectInvalidArgument { _ = try PeriodSpec(unit: unit, anchor: yearly) }
    }

    @Test("an anchor on a minute period is rejected")
    func rejectsAnchorOnMinute() throws {
        let anchor = try BillingAnchor(day: 15)
        expectInvalidArgument { _ = try PeriodSpec(unit: .minute, anchor: anchor) }
    }

    @Test("a monthly anchor with a month is rejected")
    func rejectsMonthlyAnchorWithMonth() throws {
        let anchor = try BillingAnchor(day: 15, month: 3)
        expectInvalidArgument { _ = try PeriodSpec(unit: .month, anchor: anchor) }
    }

    @Test("a yearly anchor without a month is rejected")
    func rejectsYearlyAnchorWithoutMonth() throws {
        let anchor = try BillingAnchor(day: 15)
        expectInvalidArgument { _ = try PeriodSpec(unit: .year, anchor: anchor) }
    }

    @Test("valid specs keep their parts")
    func acceptsValidSpecs() throws {
        let berlin = try zone("Europe/Berlin")
        let anchor = try BillingAnchor(day: 31)
        let monthly = try PeriodSpec(unit: .month, anchor: anchor, timeZone: berlin)
        #expect(monthly.unit == .month)
        #expect(monthly.anchor == anchor)
        #expect(monthly.timeZone == berlin)
        let yearly = try PeriodSpec(unit: .year, anchor: BillingAnchor(day: 29, month: 2))
        #expect(yearly.timeZone == .utc)
        for unit in PeriodUnit.allCases {
            #expect(try PeriodSpec(unit: unit).anchor == nil)
        }
    }
}

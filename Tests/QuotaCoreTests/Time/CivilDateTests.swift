import Testing

@testable import QuotaCore

@Suite("Civil dates")
struct CivilDateTests {
    /// (year, month, day, days since 1970-01-01, ISO weekday), from an independent calendar.
    static let known: [(Int64, Int, Int, Int64, Int)] = [
        (1970, 1, 1, 0, 4),
        (1969, 12, 31, -1, 3),
        (2000, 1, 1, 10_957, 6),
        (2024, 2, 29, 19_782, 4),
        (2026, 1, 31, 20_484, 6),
        (2026, 3, 10, 20_522, 2),
        (1600, 1, 1, -135_140, 6),
        (1, 1, 1, -719_162, 1),
    ]

    @Test("known dates convert both ways and have their known weekday", arguments: known)
    func knownDates(year: Int64, month: Int, day: Int, days: Int64, weekday: Int) {
        let date = CivilDate(year: year, month: month, day: day)
        #expect(date.daysSinceEpoch == days)
        #expect(CivilDate(daysSinceEpoch: days) == date)
        #expect(date.isoWeekday == weekday)
    }

    @Test("every day from 1600 to 2400 round trips and follows the previous one")
    func consecutiveDays() {
        let first = CivilDate(year: 1600, month: 1, day: 1).daysSinceEpoch
        var expected = CivilDate(year: 1600, month: 1, day: 1)
        var weekday = 6  // Saturday
        var mismatches = 0
        for days in first...CivilDate(year: 2400, month: 12, day: 31).daysSinceEpoch {
            let date = CivilDate(daysSinceEpoch: days)
            if date != expected || date.daysSinceEpoch != days || date.isoWeekday != weekday { mismatches += 1 }
            // Step the expected date by hand.
            if expected.day < CivilDate.daysInMonth(year: expected.year, month: expected.month) {
                expected.day += 1
            } else if expected.month < 12 {
                expected = CivilDate(year: expected.year, month: expected.month + 1, day: 1)
            } else {
                expected = CivilDate(year: expected.year + 1, month: 1, day: 1)
            }
            weekday = weekday % 7 + 1
        }
        #expect(mismatches == 0)
    }

    @Test("far dates round trip", arguments: [Int64(-3_000_000), -719_163, -719_162, 2_932_896, 100_000_000])
    func farDates(days: Int64) {
        #expect(CivilDate(daysSinceEpoch: days).daysSinceEpoch == days)
    }

    @Test(
        "leap years follow the Gregorian rule",
        arguments: [
            (Int64(2000), true), (1900, false), (2100, false), (2024, true), (2023, false), (1600, true), (2400, true),
            (4, true), (0, true), (-4, true), (-100, false),
        ]
    )
    func leapYears(year: Int64, leap: Bool) {
        #expect(CivilDate.isLeapYear(year) == leap)
        #expect(CivilDate.daysInMonth(year: year, month: 2) == (leap ? 29 : 28))
        let yearLength =
            CivilDate(year: year + 1, month: 1, day: 1).daysSinceEpoch
            - CivilDate(year: year, month: 1, day: 1).daysSinceEpoch
        #expect(yearLength == (leap ? 366 : 365))
    }

    @Test("month lengths")
    func monthLengths() {
        #expect(
            (1...12).map { CivilDate.daysInMonth(year: 2026, month: $0) } == [
                31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
            ]
        )
        #expect(CivilDate.daysInMonth(year: 2028, month: 2) == 29)
    }

    @Test("dates order by year, then month, then day")
    func ordering() {
        #expect(CivilDate(year: 2025, month: 12, day: 31) < CivilDate(year: 2026, month: 1, day: 1))
        #expect(CivilDate(year: 2026, month: 1, day: 31) < CivilDate(year: 2026, month: 2, day: 1))
        #expect(CivilDate(year: 2026, month: 2, day: 1) < CivilDate(year: 2026, month: 2, day: 2))
        #expect(!(CivilDate(year: 2026, month: 2, day: 2) < CivilDate(year: 2026, month: 2, day: 2)))
    }
}

@Suite("Timestamps")
struct TimestampTests {
    @Test("seconds and milliseconds agree; adding moves both ways; order follows the instant")
    func arithmetic() {
        #expect(Timestamp(secondsSinceEpoch: 1_773_144_000) == Fixture.t0)
        #expect(Fixture.t0.adding(milliseconds: 1_500).millisecondsSinceEpoch == 1_773_144_001_500)
        #expect(Fixture.t0.adding(milliseconds: -1) < Fixture.t0)
        #expect(Timestamp(secondsSinceEpoch: -1).millisecondsSinceEpoch == -1_000)
        #expect(Fixture.t0.description == "2026-03-10T12:00:00.000Z")
    }

    @Test("floor division rounds toward negative infinity")
    func floorDivision() {
        #expect(floorDiv(7, 2) == 3)
        #expect(floorDiv(-7, 2) == -4)
        #expect(floorDiv(-8, 2) == -4)
        #expect(floorDiv(7, -2) == -4)
        #expect(floorDiv(0, 5) == 0)
        #expect(floorDiv(-1, 86_400_000) == -1)
    }
}

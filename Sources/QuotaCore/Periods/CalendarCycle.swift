/// The calendar layout of a day-or-longer ``PeriodUnit``: numbers its cycles consecutively and
/// names the local day on which each begins.
///
/// Cycle indices: days since 1970-01-01 (`day`), weeks since Monday 1969-12-29 (`week`),
/// months since January 1970 (`month`), the calendar year in which the cycle starts (`year`).
/// First days are days since 1970-01-01 on the local wall clock and strictly increase with the index.
struct CalendarCycle: Sendable {
    /// The unit; one of `.day`, `.week`, `.month`, `.year`.
    let unit: PeriodUnit
    /// The anchor month (yearly cycles only), 1…12.
    let anchorMonth: Int
    /// The anchor day, 1…31, clamped to each month's length.
    let anchorDay: Int

    /// The layout for `unit` with an optional anchor (defaults: the 1st; January 1).
    init(unit: PeriodUnit, anchor: BillingAnchor?) {
        self.unit = unit
        self.anchorMonth = anchor?.month ?? 1
        self.anchorDay = anchor?.day ?? 1
    }

    /// The index of the cycle that contains local day `day` (days since 1970-01-01).
    func index(containingLocalDay day: Int64) -> Int64 {
        switch self.unit {
        case .week:
            // 1970-01-01 was a Thursday, so Monday 1969-12-29 (day -3) starts week 0.
            return floorDiv(day + 3, 7)
        case .month:
            let date = CivilDate(daysSinceEpoch: day)
            let index = (date.year - 1970) * 12 + Int64(date.month - 1)
            return date.day < self.clampedDay(year: date.year, month: date.month) ? index - 1 : index
        case .year:
            let date = CivilDate(daysSinceEpoch: day)
            return day < self.firstLocalDay(ofCycle: date.year) ? date.year - 1 : date.year
        case .second, .minute, .hour, .day:
            return day
        }
    }

    /// The local day (days since 1970-01-01) on which cycle `index` begins.
    func firstLocalDay(ofCycle index: Int64) -> Int64 {
        switch self.unit {
        case .week:
            return index * 7 - 3
        case .month:
            let yearsSince1970 = floorDiv(index, 12)
            let year = 1970 + yearsSince1970
            let month = Int(index - yearsSince1970 * 12) + 1
            return CivilDate(year: year, month: month, day: self.clampedDay(year: year, month: month)).daysSinceEpoch
        case .year:
            let day = self.clampedDay(year: index, month: self.anchorMonth)
            return CivilDate(year: index, month: self.anchorMonth, day: day).daysSinceEpoch
        case .second, .minute, .hour, .day:
            return index
        }
    }

    /// The anchor day, or the last day of the month when the month is shorter.
    private func clampedDay(year: Int64, month: Int) -> Int {
        min(self.anchorDay, CivilDate.daysInMonth(year: year, month: month))
    }
}

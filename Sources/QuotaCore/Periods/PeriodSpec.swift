/// How a limit's periods are laid out on the timeline: a unit, an optional billing anchor and a zone.
///
/// The periods of a spec partition time: every instant belongs to exactly one half-open period
/// `[start, end)` (ms since the epoch, UTC), the period after `p` starts at `p.end`, and the
/// boundary instant belongs to the new period.
///
/// - `second`, `minute`, `hour`: fixed-length windows aligned to the Unix epoch in UTC. The zone
///   does not shift them: in `Asia/Kolkata` (UTC+05:30) an hour period still runs from :00 to :00 UTC.
/// - `day`: local midnight to the next local midnight, so 23 or 25 hours long on DST change days.
/// - `week`: ISO 8601 weeks, from Monday local midnight.
/// - `month`: from local midnight on the anchor day (default 1) of each month; when the month is
///   shorter than the anchor day, from its last day (anchor 31: Jan 31, Feb 28/29, Mar 31, Apr 30, …).
/// - `year`: from local midnight on the anchor date (default January 1), the day clamped to the
///   month's length (anchor February 29: February 28 in non-leap years).
///
/// A local midnight that occurs twice (clocks go back over it) begins the period at its earlier
/// occurrence; a local midnight skipped by a gap (clocks go forward over it) begins the period at
/// the first instant after the gap, the transition instant.
public struct PeriodSpec: Hashable, Sendable {
    /// The period unit.
    public let unit: PeriodUnit
    /// The billing anchor of a `month` or `year` spec, as given; `nil` means the 1st, or January 1.
    public let anchor: BillingAnchor?
    /// The zone whose local midnights bound `day`, `week`, `month` and `year` periods.
    public let timeZone: TimeZoneRules

    /// Creates a spec.
    ///
    /// - Parameters:
    ///   - unit: The period unit.
    ///   - anchor: For `.month`, an anchor with only a day; for `.year`, an anchor with a month and a day;
    ///     `nil` for the default (the 1st, January 1). Must be `nil` for every other unit.
    ///   - timeZone: The zone for calendar units; UTC by default. Ignored by `second`, `minute` and `hour`.
    /// - Throws: ``QuotaError`` with code ``QuotaError/Code/invalidArgument`` when an anchor is given for a unit
    ///   other than `month` or `year`, a `month` anchor has a month, or a `year` anchor has none.
    public init(unit: PeriodUnit, anchor: BillingAnchor? = nil, timeZone: TimeZoneRules = .utc) throws {
        if let anchor {
            switch unit {
            case .month:
                guard anchor.month == nil else {
                    throw QuotaError.invalidArgument("a monthly anchor takes only a day, not a month")
                }
            case .year:
                guard anchor.month != nil else {
                    throw QuotaError.invalidArgument("a yearly anchor needs a month and a day")
                }
            case .second, .minute, .hour, .day, .week:
                throw QuotaError.invalidArgument(
                    "an anchor is only allowed for month and year periods, not '\(unit.rawValue)'"
                )
            }
        }
        self.unit = unit
        self.anchor = anchor
        self.timeZone = timeZone
    }

    /// The unique period `[start, end)` (ms since the epoch, UTC) that contains `instant`.
    ///
    /// Pure: reads no clock. Callers can cache the result until `end`.
    /// - Precondition: `instant` lies within the years 0001…9999; far outside, arithmetic may overflow.
    public func period(containing instant: Timestamp) -> Period {
        if let length = self.unit.fixedLengthMilliseconds {
            let start = floorDiv(instant.millisecondsSinceEpoch, length) * length
            return Period(
                start: Timestamp(millisecondsSinceEpoch: start),
                end: Timestamp(millisecondsSinceEpoch: start + length)
            )
        }
        let cycle = CalendarCycle(unit: self.unit, anchor: self.anchor)
        func start(of index: Int64) -> Timestamp {
            self.timeZone.startOfLocalDay(cycle.firstLocalDay(ofCycle: index))
        }
        // The local date gives the cycle; the loops settle the rare instants whose local date
        // disagrees with the partition (for example after clocks go back across midnight).
        var index = cycle.index(containingLocalDay: self.timeZone.localDay(of: instant))
        var periodStart = start(of: index)
        while instant < periodStart {
            index -= 1
            periodStart = start(of: index)
        }
        var periodEnd = start(of: index + 1)
        while instant >= periodEnd {
            index += 1
            periodStart = periodEnd
            periodEnd = start(of: index + 1)
        }
        return Period(start: periodStart, end: periodEnd)
    }
}

/// Milliseconds in a calendar day of wall-clock time.
let millisecondsPerDay: Int64 = 86_400_000

extension TimeZoneRules {
    /// The local calendar day (days since 1970-01-01 on the zone's wall clock) that contains `instant`.
    func localDay(of instant: Timestamp) -> Int64 {
        floorDiv(self.wallTime(at: instant), millisecondsPerDay)
    }

    /// The UTC instant at which local calendar day `day` (days since 1970-01-01) begins.
    func startOfLocalDay(_ day: Int64) -> Timestamp {
        self.instant(atWallTime: day * millisecondsPerDay)
    }

    /// The zone's wall-clock time at `instant`, as ms since 1970-01-01T00:00 local.
    func wallTime(at instant: Timestamp) -> Int64 {
        instant.millisecondsSinceEpoch + self.offsetMilliseconds(at: instant)
    }

    /// The first UTC instant at which the zone's wall clock reads `wall` (ms since 1970-01-01T00:00 local).
    ///
    /// A wall time can occur twice (in an overlap, when clocks go back) or not at all (in a gap,
    /// when clocks go forward):
    /// - overlap: the earliest instant is returned;
    /// - gap: the first instant after the gap, that is the transition instant, is returned.
    ///
    /// Method: the offsets a day before, at, and a day after `wall` (each read as if `wall` were UTC)
    /// give the candidates `wall - offset`; a candidate is valid when the offset in effect at it is
    /// the offset it was computed with, and the earliest valid candidate wins. When none is valid,
    /// `wall` lies in a gap, and the transition instant is found by bisecting between the candidates
    /// for the first instant whose wall time is at least `wall`. When the gap starts exactly at `wall`
    /// (for example `America/Havana`, whose clocks jump from 00:00 to 01:00) that is `wall - offsetBefore`.
    func instant(atWallTime wall: Int64) -> Timestamp {
        let before = self.offsetMilliseconds(at: Timestamp(millisecondsSinceEpoch: wall - millisecondsPerDay))
        let during = self.offsetMilliseconds(at: Timestamp(millisecondsSinceEpoch: wall))
        let after = self.offsetMilliseconds(at: Timestamp(millisecondsSinceEpoch: wall + millisecondsPerDay))
        var earliest = Int64.max
        func consider(_ offset: Int64) {
            let candidate = wall - offset
            if candidate < earliest, self.offsetMilliseconds(at: Timestamp(millisecondsSinceEpoch: candidate)) == offset
            {
                earliest = candidate
            }
        }
        consider(before)
        if during != before { consider(during) }
        if after != before, after != during { consider(after) }
        if earliest != Int64.max { return Timestamp(millisecondsSinceEpoch: earliest) }
        let low = wall - max(before, during, after)
        let high = wall - min(before, during, after)
        return self.firstInstant(withWallTimeAtLeast: wall, after: low, upTo: high)
            ?? Timestamp(millisecondsSinceEpoch: wall - before)
    }

    /// The smallest instant in `(low, high]` whose wall time is at least `wall`, found by bisection;
    /// `nil` unless the wall time at `low` is before `wall` and the wall time at `high` is not.
    private func firstInstant(withWallTimeAtLeast wall: Int64, after low: Int64, upTo high: Int64) -> Timestamp? {
        func reached(_ t: Int64) -> Bool { self.wallTime(at: Timestamp(millisecondsSinceEpoch: t)) >= wall }
        guard low < high, !reached(low), reached(high) else { return nil }
        var low = low
        var high = high
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if reached(middle) { high = middle } else { low = middle }
        }
        return Timestamp(millisecondsSinceEpoch: high)
    }
}

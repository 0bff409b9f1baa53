import Testing

@testable import QuotaCore

/// Property tests over random instants from fixed seeds (reproducible), for every unit, several zones
/// and anchors.
@Suite("Period properties")
struct PeriodPropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 42, 20_260_308]
    static let zones = [
        "UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham",
    ]
    /// 1970-01-01T00:00:00Z up to, not including, 2100-01-01T00:00:00Z.
    static let range: Range<Int64> = 0..<4_102_444_800_000
    static let samplesPerSpec = 150

    /// Every unit with a representative set of anchors, in `timeZone`.
    static func specs(in timeZone: TimeZoneRules) throws -> [PeriodSpec] {
        var specs: [PeriodSpec] = []
        for unit in [PeriodUnit.second, .minute, .hour, .day, .week] {
            specs.append(try PeriodSpec(unit: unit, timeZone: timeZone))
        }
        for day: Int? in [nil, 1, 15, 28, 29, 30, 31] {
            specs.append(
                try PeriodSpec(unit: .month, anchor: day.map { try BillingAnchor(day: $0) }, timeZone: timeZone)
            )
        }
        let yearAnchors: [(month: Int, day: Int)?] = [nil, (1, 1), (1, 31), (2, 29), (3, 1), (8, 15), (12, 31)]
        for anchor in yearAnchors {
            let billing = try anchor.map { try BillingAnchor(day: $0.day, month: $0.month) }
            specs.append(try PeriodSpec(unit: .year, anchor: billing, timeZone: timeZone))
        }
        return specs
    }

    @Test("periods contain their instant, are contiguous and start at local midnights", arguments: seeds)
    func properties(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for identifier in Self.zones {
            for spec in try Self.specs(in: zone(identifier)) {
                for _ in 0..<Self.samplesPerSpec {
                    let instant = Timestamp(millisecondsSinceEpoch: Int64.random(in: Self.range, using: &random))
                    try Self.check(spec, instant)
                }
            }
        }
    }

    @Test(
        "periods tile whole years without gaps or overlaps",
        arguments: zip(zones, [2026, 2027, 2028, 2024, 2026, 2025])
    )
    func tiling(identifier: String, year: Int64) throws {
        for spec in try Self.specs(in: zone(identifier)) where spec.unit.fixedLengthMilliseconds == nil {
            let first = spec.period(
                containing: Timestamp(
                    millisecondsSinceEpoch: CivilDate(year: year, month: 1, day: 1).daysSinceEpoch * millisecondsPerDay
                )
            )
            let stop = Timestamp(
                millisecondsSinceEpoch: CivilDate(year: year + 2, month: 1, day: 1).daysSinceEpoch * millisecondsPerDay
            )
            var period = first
            while period.start < stop {
                let next = spec.period(containing: period.end)
                #expect(next.start == period.end, "\(spec.unit) \(identifier): \(period) then \(next)")
                #expect(spec.period(containing: period.start) == period)
                try Self.checkCalendarStart(spec, period.start)
                period = next
            }
        }
    }

    /// Checks every property of `spec.period(containing: instant)`.
    static func check(
        _ spec: PeriodSpec,
        _ instant: Timestamp,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let period = spec.period(containing: instant)
        let context: Comment =
            "\(spec.unit) \(spec.anchor.map { "\($0)" } ?? "-") \(spec.timeZone.identifier) at \(instant): \(period)"
        #expect(period.start <= instant && instant < period.end, context, sourceLocation: sourceLocation)
        #expect(period.contains(instant), context, sourceLocation: sourceLocation)
        #expect(spec.period(containing: period.start) == period, context, sourceLocation: sourceLocation)
        #expect(
            spec.period(containing: period.end.adding(milliseconds: -1)) == period,
            context,
            sourceLocation: sourceLocation
        )
        let next = spec.period(containing: period.end)
        #expect(next.start == period.end, context, sourceLocation: sourceLocation)
        let previous = spec.period(containing: period.start.adding(milliseconds: -1))
        #expect(previous.end == period.start, context, sourceLocation: sourceLocation)

        if let length = spec.unit.fixedLengthMilliseconds {
            #expect(period.durationMilliseconds == length, context, sourceLocation: sourceLocation)
            #expect(period.start.millisecondsSinceEpoch % length == 0, context, sourceLocation: sourceLocation)
            return
        }
        try Self.checkCalendarStart(spec, period.start, sourceLocation: sourceLocation)
        try Self.checkCalendarStart(spec, period.end, sourceLocation: sourceLocation)
        // No sampled zone moves its clocks back across midnight, so the instant's local date lies
        // in the period's local dates.
        let zone = spec.timeZone
        #expect(zone.localDay(of: period.start) <= zone.localDay(of: instant), context, sourceLocation: sourceLocation)
        #expect(zone.localDay(of: instant) < zone.localDay(of: period.end), context, sourceLocation: sourceLocation)
        let days = zone.localDay(of: period.end) - zone.localDay(of: period.start)
        let expectedDays: ClosedRange<Int64> =
            switch spec.unit {
            case .day: 1...1
            case .week: 7...7
            case .month: 28...31
            default: 365...366
            }
        #expect(expectedDays.contains(days), context, sourceLocation: sourceLocation)
    }

    /// Checks that `start` is a local midnight (the first instant of its local date) on the
    /// day a cycle of `spec` begins.
    static func checkCalendarStart(
        _ spec: PeriodSpec,
        _ start: Timestamp,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let zone = spec.timeZone
        let context: Comment = "\(spec.unit) \(spec.anchor.map { "\($0)" } ?? "-") \(zone.identifier) start \(start)"
        // Local midnight exactly, or, when clocks jump over midnight (Lord Howe on 1981-03-01 went
        // from 00:00 +10 to 00:30 +10:30), the transition instant that ends the gap.
        let exactMidnight = zone.wallTime(at: start) % millisecondsPerDay == 0
        let gapEnd = zone.offsetMilliseconds(at: start.adding(milliseconds: -1)) < zone.offsetMilliseconds(at: start)
        #expect(exactMidnight || gapEnd, context, sourceLocation: sourceLocation)
        #expect(
            zone.localDay(of: start.adding(milliseconds: -1)) == zone.localDay(of: start) - 1,
            context,
            sourceLocation: sourceLocation
        )
        let date = CivilDate(daysSinceEpoch: zone.localDay(of: start))
        switch spec.unit {
        case .week:
            #expect(date.isoWeekday == 1, context, sourceLocation: sourceLocation)
        case .month:
            let anchorDay = spec.anchor?.day ?? 1
            #expect(
                date.day == min(anchorDay, CivilDate.daysInMonth(year: date.year, month: date.month)),
                context,
                sourceLocation: sourceLocation
            )
        case .year:
            let anchorMonth = spec.anchor?.month ?? 1
            let anchorDay = spec.anchor?.day ?? 1
            #expect(date.month == anchorMonth, context, sourceLocation: sourceLocation)
            #expect(
                date.day == min(anchorDay, CivilDate.daysInMonth(year: date.year, month: anchorMonth)),
                context,
                sourceLocation: sourceLocation
            )
        default:
            break
        }
    }

    @Test("SplitMix64 matches its reference output")
    func splitMixReference() {
        // The first outputs of the reference splitmix64.c (Vigna) for seed 1234567.
        var random = SplitMix64(seed: 1_234_567)
        #expect(random.next() == 6_457_827_717_110_365_317)
        #expect(random.next() == 3_203_168_211_198_807_973)
    }
}

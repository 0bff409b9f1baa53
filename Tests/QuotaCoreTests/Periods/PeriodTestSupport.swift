@testable import QuotaCore
import Testing

/// Milliseconds in one hour, for readable expected durations.
let hourMs: Int64 = 3_600_000

/// Parses an RFC 3339 timestamp for an expected value.
func at(_ text: String) throws -> Timestamp {
    try RFC3339.parse(text)
}

/// A zone from the time zone database.
func zone(_ identifier: String) throws -> TimeZoneRules {
    try TimeZoneRules(identifier: identifier)
}

/// Expects `body` to throw a ``QuotaError`` with code `invalidArgument`.
func expectInvalidArgument(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    let error = #expect(throws: QuotaError.self, sourceLocation: sourceLocation) { try body() }
    #expect(error?.code == .invalidArgument, sourceLocation: sourceLocation)
}

/// Expects `spec.period(containing: instant)` to be `[start, end)`, and checks the boundary rules:
/// the start maps to the same period, `end - 1 ms` is still inside, and `end` starts the next period.
func expectPeriod(
    _ spec: PeriodSpec, containing instant: String, is start: String, _ end: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let period = spec.period(containing: try at(instant))
    let expected = Period(start: try at(start), end: try at(end))
    #expect(period == expected, sourceLocation: sourceLocation)
    #expect(spec.period(containing: period.start) == period, sourceLocation: sourceLocation)
    #expect(spec.period(containing: period.end.adding(milliseconds: -1)) == period, sourceLocation: sourceLocation)
    #expect(spec.period(containing: period.end).start == period.end, sourceLocation: sourceLocation)
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny deterministic generator, so property tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { self.state = seed }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

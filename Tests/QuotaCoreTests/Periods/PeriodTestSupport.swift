import Testing

@testable import QuotaCore

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
    _ spec: PeriodSpec,
    containing instant: String,
    is start: String,
    _ end: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let period = spec.period(containing: try at(instant))
    let expected = Period(start: try at(start), end: try at(end))
    #expect(period == expected, sourceLocation: sourceLocation)
    #expect(spec.period(containing: period.start) == period, sourceLocation: sourceLocation)
    #expect(spec.period(containing: period.end.adding(milliseconds: -1)) == period, sourceLocation: sourceLocation)
    #expect(spec.period(containing: period.end).start == period.end, sourceLocation: sourceLocation)
}

/// The fixed timetable of an open loop: request k (from 0) is due `k / rate` seconds after the start, whatever
/// happened to the requests before it.
public struct OpenLoopTimetable: Hashable, Sendable {
    /// The requests per second, above 0.
    public let requestsPerSecond: Double

    /// Creates the timetable of `requestsPerSecond` requests per second.
    public init(requestsPerSecond: Double) {
        precondition(requestsPerSecond.isFinite && requestsPerSecond > 0, "the rate must be finite and above 0")
        self.requestsPerSecond = requestsPerSecond
    }

    /// When request `index` is due, after the start of the timetable, rounded to the nanosecond.
    ///
    /// Computed from the index rather than by adding intervals, so rounding never accumulates into drift.
    public func offset(ofRequest index: Int) -> Duration {
        .nanoseconds(Int64((Double(index) * 1e9 / self.requestsPerSecond).rounded()))
    }
}

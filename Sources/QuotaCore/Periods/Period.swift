/// A half-open window of time `[start, end)`, in milliseconds since the Unix epoch (UTC).
///
/// The boundary instant belongs to the next period: ``start`` is inside, ``end`` is not.
public struct Period: Hashable, Sendable, CustomStringConvertible {
    /// The first instant of the period (inclusive), ms since the epoch, UTC.
    public let start: Timestamp
    /// The first instant after the period (exclusive), ms since the epoch, UTC.
    public let end: Timestamp

    /// Creates the period `[start, end)`.
    ///
    /// - Precondition: `start < end`.
    public init(start: Timestamp, end: Timestamp) {
        precondition(start < end, "a period must end after it starts")
        self.start = start
        self.end = end
    }

    /// Whether `t` lies in `[start, end)`.
    public func contains(_ t: Timestamp) -> Bool {
        self.start <= t && t < self.end
    }

    /// The length of the period in milliseconds.
    public var durationMilliseconds: Int64 {
        self.end.millisecondsSinceEpoch - self.start.millisecondsSinceEpoch
    }

    public var description: String { "[\(self.start), \(self.end))" }
}

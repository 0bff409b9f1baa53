/// An instant in time: milliseconds since the Unix epoch (1970-01-01T00:00:00Z), in UTC.
///
/// The domain core never reads a clock; every operation that depends on time takes a `Timestamp`
/// from its caller. Leap seconds are not represented (POSIX time).
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSinceEpoch: Int64

    /// Creates a timestamp from milliseconds since the Unix epoch.
    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// Creates a timestamp from whole seconds since the Unix epoch.
    public init(secondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = secondsSinceEpoch * 1000
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// The timestamp `milliseconds` later (or earlier, when negative).
    public func adding(milliseconds: Int64) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: self.millisecondsSinceEpoch + milliseconds)
    }

    public var description: String { RFC3339.format(self) }
}

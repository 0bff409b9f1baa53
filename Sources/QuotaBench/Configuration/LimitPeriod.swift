/// The period of the hard limits the bench sets (binary and HTTP) or passes to its script (RESP).
public enum LimitPeriod: String, CaseIterable, Hashable, Sendable {
    /// A calendar minute (UTC).
    case minute
    /// A calendar hour (UTC).
    case hour
    /// A calendar day (UTC).
    case day

    /// The length of the period, in seconds.
    public var seconds: Int64 {
        switch self {
        case .minute: 60
        case .hour: 3600
        case .day: 86400
        }
    }

    /// The start of the period that contains `epochSeconds`, in seconds since the Unix epoch (UTC).
    public func start(containing epochSeconds: Int64) -> Int64 {
        epochSeconds - ((epochSeconds % self.seconds) + self.seconds) % self.seconds
    }
}

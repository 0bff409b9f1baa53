/// How requests are paced.
public enum LoadShape: Hashable, Sendable, CustomStringConvertible {
    /// Every connection keeps `pipeline` requests outstanding and sends the next as soon as one is answered;
    /// latency is measured from the actual send.
    case closedLoop
    /// Requests are sent on a fixed timetable at `requestsPerSecond` across all connections; latency is measured
    /// from each request's scheduled send time, so queueing in the client or the server is not hidden.
    case openLoop(requestsPerSecond: Double)

    /// `closed loop` or `open loop at 5000 req/s`.
    public var description: String {
        switch self {
        case .closedLoop: "closed loop"
        case .openLoop(let rate): "open loop at \(rate) req/s"
        }
    }
}

/// How one request ended.
public enum RequestOutcome: Hashable, Sendable {
    /// Admitted (a consume applied, a check that would pass, a status read).
    case allowed
    /// Denied by a hard limit (a consume refused, a check that would be refused).
    case denied
    /// The target answered with an error; carries its code or status and message.
    case failed(String)
    /// No answer: the connection failed or closed first; carries the reason. Not counted in the latency.
    case transportFailed(String)

    /// Whether the target answered (every outcome but ``transportFailed(_:)``); only answered requests have a latency.
    public var isAnswered: Bool {
        if case .transportFailed = self { return false }
        return true
    }
}

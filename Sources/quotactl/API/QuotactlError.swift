/// A failure quotactl reports as `error: <description>` on standard error, exiting with status 1.
enum QuotactlError: Error, CustomStringConvertible {
    /// The node answered with an API error body, `{"error": {"code": …, "message": …}}`.
    case api(code: String, message: String)
    /// The node could not be reached at all.
    case unreachable(node: NodeURL, reason: String)
    /// The node did not answer completely within the timeout.
    case timedOut(node: NodeURL, seconds: Double)
    /// The node answered, but not in the shape the API defines.
    case unexpectedResponse(node: NodeURL, detail: String)
    /// A health check did not pass.
    case unhealthy(node: NodeURL, detail: String)

    var description: String {
        switch self {
        case .api(let code, let message):
            return "\(code): \(message)"
        case .unreachable(let node, let reason):
            return "cannot reach quotad at \(node): \(reason)"
        case .timedOut(let node, let seconds):
            return "no response from quotad at \(node) within \(Format.seconds(seconds))"
        case .unexpectedResponse(let node, let detail):
            return "unexpected response from quotad at \(node): \(detail)"
        case .unhealthy(let node, let detail):
            return "unavailable: quotad at \(node) \(detail)"
        }
    }
}

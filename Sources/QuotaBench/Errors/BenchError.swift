/// Why a run could not start or finish, or finished with nothing to show; a failure of single requests is counted
/// in the report instead.
public enum BenchError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A connection to the target (`--host` and `--port`) could not be opened; carries the address and the reason.
    case connectFailed(address: String, reason: String)
    /// quotad's HTTP API, where the limits are set before the run, could not be reached; carries the address, the
    /// option that set its port, and the reason.
    case setupConnectFailed(address: String, portOption: String, reason: String)
    /// Setting a tenant's limit before the run failed; carries the tenant and the answer or failure.
    case setupFailed(tenant: String, reason: String)
    /// Setting the limits took longer than it may; carries the time allowed, in seconds.
    case setupTimedOut(seconds: Int)
    /// `SCRIPT LOAD` of the RESP check-and-consume scripts failed; carries the reply or failure.
    case scriptLoadFailed(String)
    /// The run completed without a single request allowed or denied: every recorded request failed, or none was
    /// recorded; carries the recorded requests and the first error message, if any.
    case noRequestSucceeded(requests: Int, firstError: String?)

    /// A sentence that says what failed.
    public var description: String {
        switch self {
        case .connectFailed(let address, let reason):
            "cannot connect to \(address), the target given by --host and --port: \(reason)"
        case .setupConnectFailed(let address, let portOption, let reason):
            "cannot connect to quotad's HTTP API at \(address) to set the limits (\(portOption); --no-setup skips "
                + "the setup): \(reason)"
        case .setupFailed(let tenant, let reason):
            "setting the limit of tenant '\(tenant)' failed: \(reason)"
        case .setupTimedOut(let seconds):
            "setting the limits over HTTP did not finish within \(seconds) s"
        case .scriptLoadFailed(let reason):
            "loading the rate-limit scripts into Redis failed: \(reason)"
        case .noRequestSucceeded(let requests, let firstError):
            requests == 0
                ? "no request succeeded: none was recorded"
                : "no request succeeded: all \(requests) recorded requests failed"
                    + (firstError.map { "; the first error: \($0)" } ?? "")
        }
    }
}

/// The protocol `quota-bench` speaks to its target.
public enum BenchProtocol: String, CaseIterable, Hashable, Sendable {
    /// QuotaWire, quotad's binary TCP protocol (docs/wire-protocol.md).
    case binary
    /// quotad's HTTP/JSON API (docs/api.md).
    case http
    /// Redis's RESP2, running a check-and-consume Lua script, for a side-by-side with Redis.
    case resp

    /// The port used when `--port` is not given: 7070, 8080 or 6379.
    public var defaultPort: Int {
        switch self {
        case .binary: 7070
        case .http: 8080
        case .resp: 6379
        }
    }

    /// The operation mix used when `--mix` is not given; RESP has no status operation.
    public var defaultMix: String {
        switch self {
        case .binary, .http: "consume=90,check=5,status=5"
        case .resp: "consume=90,check=10"
        }
    }
}

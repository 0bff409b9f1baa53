/// The effective settings of a run, as reported (defaults filled in).
public struct BenchSettings: Hashable, Sendable, Encodable {
    /// `binary`, `http` or `resp`.
    public var benchProtocol: String
    /// The target host.
    public var host: String
    /// The target port: the first of ``ports``.
    public var port: Int
    /// Every target port, in the order given; the connections are spread over them round-robin.
    public var ports: [Int]
    /// TCP connections.
    public var connections: Int
    /// Requests outstanding per connection (open loop: at most).
    public var pipeline: Int
    /// `closed` or `open`.
    public var load: String
    /// The open loop's rate, in requests per second; `nil` in a closed loop.
    public var ratePerSecond: Double?
    /// The longest recorded time, in seconds.
    public var durationLimitSeconds: Double
    /// The most requests recorded; `nil` for no bound.
    public var requestLimit: Int?
    /// The unrecorded warmup, in seconds.
    public var warmupSeconds: Double
    /// The number of tenants.
    public var tenants: Int
    /// `uniform` or `zipf`.
    public var distribution: String
    /// The Zipf exponent; `nil` for uniform.
    public var zipfS: Double?
    /// The seed.
    public var seed: UInt64
    /// The operation mix, for example `consume=90,check=5,status=5`.
    public var mix: String
    /// The metric of every request.
    public var metric: String
    /// The limit of tenants that are not exhausted, per period; `nil` when the bench sets no limits (`--no-setup`).
    public var limit: Int64?
    /// The limit of exhausted tenants, per period; `nil` when the bench sets no limits.
    public var exhaustedLimit: Int64?
    /// How many tenants got the exhausted limit; `nil` when the bench sets no limits.
    public var exhaustedTenants: Int?
    /// `minute`, `hour` or `day`; `nil` when the bench sets no limits.
    public var period: String?
    /// Whether limits were set over HTTP before the run.
    public var setup: Bool
    /// The HTTP port used by the setup; `nil` without setup.
    public var setupHTTPPort: Int?
    /// The audit level of the limits set; `nil` without setup.
    public var audit: String?

    enum CodingKeys: String, CodingKey {
        case benchProtocol = "protocol"
        case host, port, ports, connections, pipeline, load
        case ratePerSecond = "rate_per_second"
        case durationLimitSeconds = "duration_limit_seconds"
        case requestLimit = "request_limit"
        case warmupSeconds = "warmup_seconds"
        case tenants, distribution
        case zipfS = "zipf_s"
        case seed, mix, metric, limit
        case exhaustedLimit = "exhausted_limit"
        case exhaustedTenants = "exhausted_tenants"
        case period, setup
        case setupHTTPPort = "setup_http_port"
        case audit
    }

    /// The settings of `configuration`, whose tenants are laid out as `tenants`.
    init(_ configuration: BenchConfiguration, tenants: TenantTable) {
        self.benchProtocol = configuration.benchProtocol.rawValue
        self.host = configuration.host
        self.port = configuration.port
        self.ports = configuration.ports
        self.connections = configuration.connections
        self.pipeline = configuration.pipeline
        switch configuration.shape {
        case .closedLoop:
            self.load = "closed"
            self.ratePerSecond = nil
        case .openLoop(let rate):
            self.load = "open"
            self.ratePerSecond = rate
        }
        self.durationLimitSeconds = configuration.duration.inSeconds
        self.requestLimit = configuration.requestLimit
        self.warmupSeconds = configuration.warmup.inSeconds
        self.tenants = configuration.tenants
        switch configuration.distribution {
        case .uniform:
            self.distribution = "uniform"
            self.zipfS = nil
        case .zipf(let exponent):
            self.distribution = "zipf"
            self.zipfS = exponent
        }
        self.seed = configuration.seed
        self.mix = configuration.mix.description
        self.metric = BenchConfiguration.metric
        let limitsApply = configuration.setup != nil || configuration.benchProtocol == .resp
        self.limit = limitsApply ? configuration.limits.limit : nil
        self.exhaustedLimit = limitsApply ? LimitSettings.exhaustedLimit : nil
        self.exhaustedTenants = limitsApply ? tenants.exhaustedIndexes.count : nil
        self.period = limitsApply ? configuration.limits.period.rawValue : nil
        self.setup = configuration.setup != nil
        self.setupHTTPPort = configuration.setup?.httpPort
        self.audit = configuration.setup?.audit.rawValue
    }
}

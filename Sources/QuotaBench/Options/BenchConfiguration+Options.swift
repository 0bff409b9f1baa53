extension BenchConfiguration {
    /// The defaults of the options that are optional in ``BenchOptions``.
    public enum Defaults {
        /// `--limit`: large enough that tenants that are not exhausted are never denied.
        public static let limit: Int64 = 1_000_000_000
        /// `--zipf-s`.
        public static let zipfExponent = 1.1
        /// `--http-port`.
        public static let httpPort = 8080
    }

    /// The most requests outstanding across all connections (`--connections` × `--pipeline`).
    public static let maximumOutstanding = 65536

    /// Validates the command line and fills in the defaults that depend on the protocol.
    ///
    /// - Throws: ``BenchConfigurationError`` naming the first option that is out of range, malformed, or given
    ///   where it has no meaning; a `--host` other than a loopback address.
    public init(options: BenchOptions) throws(BenchConfigurationError) {
        let kind = options.protocolName
        guard LoopbackHost.isLoopback(options.host) else { throw .nonLoopbackHost(options.host) }
        try Self.require("--connections", options.connections, in: 1...1000)
        var ports: [Int]?
        if let text = options.port { ports = try TargetPorts.parse(text, connections: options.connections) }
        try Self.require("--pipeline", options.pipeline, in: 1...1024)
        guard options.connections * options.pipeline <= Self.maximumOutstanding else {
            throw .outOfRange(
                option: "--connections × --pipeline",
                value: "\(options.connections * options.pipeline)",
                accepted: "at most \(Self.maximumOutstanding) requests outstanding in all"
            )
        }
        try Self.require("--duration", options.duration, above: 0, atMost: 86400)
        try Self.require("--warmup", options.warmup, atLeast: 0, atMost: 3600)
        try Self.require("--tenants", options.tenants, in: 1...1_000_000)
        if let requests = options.requests { try Self.require("--requests", requests, in: 1...Int(Int32.max)) }
        var shape = LoadShape.closedLoop
        if let rate = options.rate {
            try Self.require("--rate", rate, above: 0, atMost: 10_000_000)
            shape = .openLoop(requestsPerSecond: rate)
        }

        self.benchProtocol = kind
        self.host = options.host
        self.ports = ports ?? [kind.defaultPort]
        self.connections = options.connections
        self.pipeline = options.pipeline
        self.shape = shape
        self.duration = .milliseconds(Int64((options.duration * 1000).rounded()))
        self.requestLimit = options.requests
        self.warmup = .milliseconds(Int64((options.warmup * 1000).rounded()))
        self.tenants = options.tenants
        self.distribution = try Self.distribution(options)
        self.seed = options.seed
        self.mix = try Self.mix(options)
        self.setup = try Self.setup(options, ports: ports)
        self.limits = try Self.limits(options, setUp: self.setup != nil)
    }

    private static func distribution(_ options: BenchOptions) throws(BenchConfigurationError) -> TenantDistribution {
        switch options.distribution {
        case .uniform:
            if options.zipfS != nil {
                throw .notApplicable(option: "--zipf-s", reason: "it is the exponent of --distribution zipf")
            }
            return .uniform
        case .zipf:
            let exponent = options.zipfS ?? Defaults.zipfExponent
            try Self.require("--zipf-s", exponent, above: 0, atMost: 10)
            return .zipf(exponent: exponent)
        }
    }

    private static func mix(_ options: BenchOptions) throws(BenchConfigurationError) -> OperationMix {
        let mix = try OperationMix(parsing: options.mix ?? options.protocolName.defaultMix)
        if options.protocolName == .resp, mix.operations.contains(.status) { throw .statusNotSupportedInRESP }
        return mix
    }

    private static func setup(
        _ options: BenchOptions,
        ports: [Int]?
    ) throws(BenchConfigurationError) -> SetupSettings? {
        let kind = options.protocolName
        if kind == .resp, options.setup == true {
            throw .notApplicable(
                option: "--setup",
                reason: "with --protocol resp each request carries its limit, so there is nothing to set up"
            )
        }
        let setUp = kind != .resp && options.setup != false
        if let httpPort = options.httpPort {
            guard kind == .binary else {
                throw .notApplicable(
                    option: "--http-port",
                    reason: kind == .http ? "with --protocol http, setup uses --port" : "it is used by --setup only"
                )
            }
            guard setUp else { throw .notApplicable(option: "--http-port", reason: "it is used by --setup only") }
            try Self.require("--http-port", httpPort, in: 1...65535)
        }
        if options.audit != nil, !setUp {
            throw .notApplicable(option: "--audit", reason: "it is the audit level of the limits --setup sets")
        }
        guard setUp else { return nil }
        let httpPort = kind == .http ? (ports?.first ?? kind.defaultPort) : (options.httpPort ?? Defaults.httpPort)
        return SetupSettings(httpPort: httpPort, audit: options.audit ?? .aggregate)
    }

    private static func limits(_ options: BenchOptions, setUp: Bool) throws(BenchConfigurationError) -> LimitSettings {
        if !setUp, options.protocolName != .resp {
            let given = [
                ("--limit", options.limit != nil), ("--exhaust-fraction", options.exhaustFraction != nil),
                ("--period", options.period != nil),
            ]
            if let (option, _) = given.first(where: { $0.1 }) {
                throw .notApplicable(option: option, reason: "with --no-setup the limits already set on quotad apply")
            }
        }
        let limit = options.limit ?? Defaults.limit
        try Self.require("--limit", limit, in: 1...Int64.max)
        let fraction = options.exhaustFraction ?? 0
        try Self.require("--exhaust-fraction", fraction, atLeast: 0, atMost: 1)
        return LimitSettings(limit: limit, exhaustFraction: fraction, period: options.period ?? .minute)
    }

    static func require<Value: Comparable>(
        _ option: String,
        _ value: Value,
        in range: ClosedRange<Value>
    ) throws(BenchConfigurationError) {
        guard range.contains(value) else {
            throw .outOfRange(
                option: option,
                value: "\(value)",
                accepted: "from \(range.lowerBound) to \(range.upperBound)"
            )
        }
    }

    private static func require(
        _ option: String,
        _ value: Double,
        above lowerBound: Double,
        atMost upperBound: Double
    ) throws(BenchConfigurationError) {
        guard value.isFinite, value > lowerBound, value <= upperBound else {
            throw .outOfRange(option: option, value: "\(value)", accepted: "above \(lowerBound), at most \(upperBound)")
        }
    }

    private static func require(
        _ option: String,
        _ value: Double,
        atLeast lowerBound: Double,
        atMost upperBound: Double
    ) throws(BenchConfigurationError) {
        guard value.isFinite, value >= lowerBound, value <= upperBound else {
            throw .outOfRange(option: option, value: "\(value)", accepted: "from \(lowerBound) to \(upperBound)")
        }
    }
}

import ArgumentParser

/// The command-line options of `quota-bench`; ``BenchConfiguration/init(options:)`` validates them.
///
/// Options whose default depends on another option (`--port`, `--mix`, `--setup`, …) are optional here, so that
/// the configuration can tell "not given" from "given" and refuse one given where it has no meaning.
///
/// The numeric options take the next argument as their value even when it starts with a dash
/// (`parsing: .unconditional`), so that `--connections -5` gets the same range error as `--connections=-5` rather
/// than ArgumentParser's "Missing value".
public struct BenchOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("protocol"), help: "binary (QuotaWire over TCP), http (the JSON API) or resp (Redis).")
    public var protocolName: BenchProtocol = .binary

    @Option(help: "The target's host: 127.0.0.0/8, ::1 or localhost only.")
    public var host: String = "127.0.0.1"

    @Option(
        parsing: .unconditional,
        help: """
            The target's port, or several separated by commas (connection i goes to port i mod n). \
            (default: 7070 binary, 8080 http, 6379 resp)
            """
    )
    public var port: String?

    @Option(parsing: .unconditional, help: "TCP connections, 1-1000.")
    public var connections: Int = 50

    @Option(
        parsing: .unconditional,
        help: """
            Requests outstanding per connection, 1-1024 (with --rate: the most a connection may have outstanding).
            """
    )
    public var pipeline: Int = 1

    @Option(
        parsing: .unconditional,
        help: """
            Open loop: requests per second across all connections, sent on a fixed timetable; latency is measured \
            from each request's scheduled send time. Without it the load is a closed loop.
            """
    )
    public var rate: Double?

    @Option(parsing: .unconditional, help: "Seconds recorded, at most (after the warmup).")
    public var duration: Double = 10

    @Option(
        parsing: .unconditional,
        help: "Requests recorded, at most; the run ends at --duration or --requests, whichever comes first."
    )
    public var requests: Int?

    @Option(parsing: .unconditional, help: "Seconds of load before recording starts.")
    public var warmup: Double = 1

    @Option(parsing: .unconditional, help: "Tenants, named bench-0 … bench-(N-1); 1-1000000.")
    public var tenants: Int = 1000

    @Option(help: "How requests are spread over the tenants: uniform or zipf.")
    public var distribution: DistributionName = .uniform

    @Option(
        name: .customLong("zipf-s"),
        parsing: .unconditional,
        help: "The exponent s of --distribution zipf, above 0 and at most 10. (default: 1.1)"
    )
    public var zipfS: Double?

    @Option(parsing: .unconditional, help: "Seed of the tenant, operation and exhausted-tenant choices (SplitMix64).")
    public var seed: UInt64 = 1

    @Option(
        help: """
            Operation weights. (default: consume=90,check=5,status=5; resp: consume=90,check=10, as RESP has no status)
            """
    )
    public var mix: String?

    @Option(parsing: .unconditional, help: "Hard limit per tenant and period. (default: 1000000000)")
    public var limit: Int64?

    @Option(
        parsing: .unconditional,
        help:
            "Fraction (0-1) of tenants that get a limit of \(LimitSettings.exhaustedLimit) instead, so they are denied. (default: 0)"
    )
    public var exhaustFraction: Double?

    @Option(help: "Period of the limits: minute, hour or day. (default: minute)")
    public var period: LimitPeriod?

    @Flag(
        inversion: .prefixedNo,
        help: "Set every tenant's hard limit over quotad's HTTP API before the run. (default: on for binary and http)"
    )
    public var setup: Bool?

    @Option(parsing: .unconditional, help: "The port of quotad's HTTP API, for --setup in binary mode. (default: 8080)")
    public var httpPort: Int?

    @Option(help: "Audit level of the limits set: full or aggregate. (default: aggregate)")
    public var audit: SetupAudit?

    @Flag(help: "Print one JSON object instead of the text report.")
    public var json: Bool = false

    /// Creates the options with their defaults, as argument parsing does.
    public init() {}
}

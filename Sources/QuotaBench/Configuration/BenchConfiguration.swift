/// Everything a run needs, validated: build it from ``BenchOptions`` with ``init(options:)``.
public struct BenchConfiguration: Hashable, Sendable {
    /// The metric every request uses.
    public static let metric = "api_calls"

    /// The protocol spoken to the target.
    public var benchProtocol: BenchProtocol
    /// The target's host: a loopback address or `localhost`.
    public var host: String
    /// The target's TCP ports, at least one, all different: connection i goes to `ports[i % ports.count]`.
    public var ports: [Int]
    /// The number of TCP connections, at least 1.
    public var connections: Int
    /// In a closed loop, the requests outstanding per connection; in an open loop, the most a connection may have
    /// outstanding before scheduled requests wait (and show the wait in their latency). At least 1.
    public var pipeline: Int
    /// Closed or open loop.
    public var shape: LoadShape
    /// How long the recorded part of the run lasts at most.
    public var duration: Duration
    /// How many requests are recorded at most; `nil` for no bound other than ``duration``.
    public var requestLimit: Int?
    /// How long the load runs before recording starts.
    public var warmup: Duration
    /// The number of tenants, named `bench-0` … `bench-(n-1)`.
    public var tenants: Int
    /// How requests are spread over the tenants.
    public var distribution: TenantDistribution
    /// The seed of every random choice (tenants, operations, exhausted tenants).
    public var seed: UInt64
    /// The share of each operation.
    public var mix: OperationMix
    /// The tenants' limits.
    public var limits: LimitSettings
    /// How limits are set before the run; `nil` when they are not (RESP, or `--no-setup`).
    public var setup: SetupSettings?

    /// The target's first TCP port (its only one unless `--port` lists several).
    public var port: Int { self.ports[0] }

    /// The port of connection `connection` (from 0): the ports are used round-robin.
    public func port(ofConnection connection: Int) -> Int { self.ports[connection % self.ports.count] }

    /// The target as `host:port`, or `host:port1,port2,…` for several ports, with IPv6 addresses in brackets.
    public var address: String {
        Self.address(host: self.host, port: self.port)
            + self.ports.dropFirst().map { ",\($0)" }.joined()
    }

    /// `host:port`, with an IPv6 address in brackets.
    static func address(host: String, port: Int) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The host as NIO connects to it: without IPv6 brackets.
    var connectHost: String {
        self.host.hasPrefix("[") && self.host.hasSuffix("]") ? String(self.host.dropFirst().dropLast()) : self.host
    }
}

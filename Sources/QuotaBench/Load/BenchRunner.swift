import NIOCore
import NIOPosix

/// Runs one benchmark: sets the tenants' limits (binary, HTTP), opens the connections, drives the load, and
/// reports. This is the library's entry point; `quota-bench` only parses the command line and prints the report.
public struct BenchRunner: Sendable {
    /// What to run.
    public let configuration: BenchConfiguration
    private let group: any EventLoopGroup

    /// Creates a runner of `configuration` whose connections run on `group`.
    public init(configuration: BenchConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = group
    }

    /// The tenants of the run: names, and limits from `--limit`, `--exhaust-fraction` and the seed.
    public var tenants: TenantTable {
        TenantTable(count: self.configuration.tenants, limits: self.configuration.limits, seed: self.configuration.seed)
    }

    /// Runs the benchmark.
    ///
    /// - Parameters:
    ///   - limitInstaller: Sets the limits when the configuration asks for setup; `nil` for quotad's HTTP API at
    ///     the configured host and HTTP port.
    ///   - progress: Receives a line before each phase (for standard error).
    /// - Returns: The report. Failed requests are counted in it; they do not throw.
    /// - Throws: ``BenchError`` when the setup fails or a connection cannot be opened (nothing is measured then).
    public func run(
        limitInstaller: (any LimitInstaller)? = nil,
        progress: @Sendable (String) -> Void = { _ in }
    ) async throws(BenchError) -> BenchReport {
        let configuration = self.configuration
        let tenants = self.tenants
        if let setup = configuration.setup {
            let installer =
                limitInstaller
                ?? HTTPLimitInstaller(host: configuration.connectHost, port: setup.httpPort, group: self.group)
            progress("setting hard limits for \(tenants.count) tenants (\(tenants.exhaustedIndexes.count) exhausted)")
            try await installer.install(
                PlannedLimit.plan(tenants, period: configuration.limits.period, audit: setup.audit)
            )
        }
        let connector = try await self.connector()
        progress("opening \(configuration.connections) connections to \(configuration.address)")
        var connections: [any BenchConnection] = []
        do {
            for _ in 0..<configuration.connections { connections.append(try await connector.connect()) }
        } catch {
            for connection in connections { await connection.close() }
            throw error
        }
        progress(
            "running: \(configuration.shape), warmup \(configuration.warmup), then up to \(configuration.duration)"
        )
        let (statistics, recordingStart) = await LoadRun(
            configuration: configuration,
            tenants: tenants,
            connections: connections
        ).run()
        for connection in connections { await connection.close() }
        return BenchReport(
            statistics: statistics,
            recordingStart: recordingStart,
            settings: BenchSettings(configuration, tenants: tenants)
        )
    }

    /// The connector of the configured protocol; for RESP, after loading the scripts.
    private func connector() async throws(BenchError) -> any BenchConnector {
        let host = self.configuration.connectHost
        let port = self.configuration.port
        switch self.configuration.benchProtocol {
        case .binary:
            return BinaryConnector(host: host, port: port, group: self.group)
        case .http:
            return HTTPConnector(host: host, port: port, group: self.group)
        case .resp:
            return try await RESPConnector.load(
                host: host,
                port: port,
                group: self.group,
                period: self.configuration.limits.period
            )
        }
    }
}

import NIOCore
import NIOPosix

/// Runs one benchmark: sets the tenants' limits (binary, HTTP), opens the connections, drives the load, and
/// reports. This is the library's entry point; `quota-bench` only parses the command line and prints the report.
public struct BenchRunner: Sendable {
    /// What to run.
    public let configuration: BenchConfiguration
    private let group: any EventLoopGroup

    /// Creates a runner of `configuration` whose connections run on `group` (by default NIO's shared group, one
    /// event loop thread per core).
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
    /// - Throws: ``BenchError`` when the setup fails or a connection cannot be opened (nothing is measured then;
    ///   a load port that does not listen is found before the setup sets any limit).
    public func run(
        limitInstaller: (any LimitInstaller)? = nil,
        progress: @Sendable (String) -> Void = { _ in }
    ) async throws(BenchError) -> BenchReport {
        let configuration = self.configuration
        let tenants = self.tenants
        if let setup = configuration.setup {
            // Over HTTP the setup goes to the load port itself, and fails first if it does not listen.
            if configuration.benchProtocol != .http {
                try await TargetProbe.check(
                    host: configuration.connectHost,
                    ports: configuration.ports,
                    group: self.group
                )
            }
            let installer =
                limitInstaller
                ?? HTTPLimitInstaller(
                    host: configuration.connectHost,
                    port: setup.httpPort,
                    portOption: configuration.benchProtocol == .http ? "--port" : "--http-port",
                    group: self.group
                )
            progress("setting hard limits for \(tenants.count) tenants (\(tenants.exhaustedIndexes.count) exhausted)")
            try await installer.install(
                PlannedLimit.plan(tenants, period: configuration.limits.period, audit: setup.audit)
            )
        }
        let (statistics, recordingStart): (RunStatistics, ContinuousClock.Instant)
        switch configuration.benchProtocol {
        case .binary:
            let frames = BinaryRequestFrames(tenants: tenants, operations: configuration.mix.operations)
            (statistics, recordingStart) = try await self.drive(BinaryDialect(frames: frames), progress: progress)
        case .resp:
            var digests: RESPScriptLoader.Digests?
            for port in configuration.ports {
                digests = try await RESPScriptLoader.load(
                    host: configuration.connectHost,
                    port: port,
                    group: self.group
                )
            }
            guard let digests else { preconditionFailure("a configuration has at least one port") }
            let commands = EvalshaCommands(
                consumeSHA: digests.consume,
                checkSHA: digests.check,
                tenants: tenants,
                period: configuration.limits.period
            )
            let dialect = RESPDialect(commands: commands, period: configuration.limits.period)
            (statistics, recordingStart) = try await self.drive(dialect, progress: progress)
        case .http:
            (statistics, recordingStart) = try await self.runHTTP(progress: progress)
        }
        return BenchReport(
            statistics: statistics,
            recordingStart: recordingStart,
            settings: BenchSettings(configuration, tenants: tenants)
        )
    }

    /// Runs the load of a binary or RESP benchmark with a ``LoadDriver`` per connection.
    private func drive<Dialect: LoadDialect & Sendable>(
        _ dialect: Dialect,
        progress: @Sendable (String) -> Void
    ) async throws(BenchError) -> (RunStatistics, ContinuousClock.Instant) {
        let run = DrivenRun(
            configuration: self.configuration,
            tenants: self.tenants,
            group: self.group,
            dialect: dialect
        )
        progress("opening \(self.configuration.connections) connections to \(self.configuration.address)")
        let channels = try await run.connect()
        progress(self.runningLine)
        return await run.run(on: channels)
    }

    /// Runs the load of an HTTP benchmark: `--pipeline` async lanes per connection (quotad's HTTP API, not the
    /// client, is what limits such a run).
    private func runHTTP(
        progress: @Sendable (String) -> Void
    ) async throws(BenchError) -> (RunStatistics, ContinuousClock.Instant) {
        let configuration = self.configuration
        progress("opening \(configuration.connections) connections to \(configuration.address)")
        var connections: [any BenchConnection] = []
        do {
            for index in 0..<configuration.connections {
                let port = configuration.port(ofConnection: index)
                let connector = HTTPConnector(host: configuration.connectHost, port: port, group: self.group)
                connections.append(try await connector.connect())
            }
        } catch {
            for connection in connections { await connection.close() }
            throw error
        }
        progress(self.runningLine)
        let result = await LoadRun(configuration: configuration, tenants: self.tenants, connections: connections).run()
        for connection in connections { await connection.close() }
        return result
    }

    private var runningLine: String {
        let configuration = self.configuration
        return "running: \(configuration.shape), warmup \(configuration.warmup), then up to \(configuration.duration)"
    }
}

import NIOCore
import NIOPosix

/// Runs the load of a binary or RESP benchmark with a ``LoadDriver`` in each connection's pipeline: opens the
/// connections (connection i to the i-th port, round-robin), starts every driver at once, merges their statistics,
/// and closes the connections whose requests are still outstanding ``LoadRun/drainGrace`` after the end.
struct DrivenRun<Dialect: LoadDialect & Sendable>: Sendable {
    let configuration: BenchConfiguration
    let tenants: TenantTable
    let group: any EventLoopGroup
    let dialect: Dialect

    /// Opens every connection.
    ///
    /// - Returns: The open channels, in connection order.
    /// - Throws: ``BenchError/connectFailed(address:reason:)`` after closing the connections already open.
    func connect() async throws(BenchError) -> [any Channel] {
        let sampler = TenantSampler(tenants: self.tenants.count, distribution: self.configuration.distribution)
        var channels: [any Channel] = []
        for index in 0..<self.configuration.connections {
            do {
                channels.append(try await self.connect(index, sampler: sampler))
            } catch {
                for channel in channels { try? await channel.close() }
                throw error
            }
        }
        return channels
    }

    /// Runs the load on `channels` (from ``connect()``) and closes them.
    ///
    /// - Returns: What the recorded requests came to, and when recording started.
    func run(on channels: [any Channel]) async -> (statistics: RunStatistics, recordingStart: ContinuousClock.Instant) {
        let timetable: OpenLoopTimetable?
        switch self.configuration.shape {
        case .closedLoop: timetable = nil
        case .openLoop(let rate): timetable = OpenLoopTimetable(requestsPerSecond: rate)
        }
        let plan = LoadPlan(
            start: .now,
            warmup: self.configuration.warmup,
            duration: self.configuration.duration,
            requestLimit: self.configuration.requestLimit,
            timetable: timetable,
            connections: channels.count
        )
        let results = channels.map { channel in
            let finished = channel.eventLoop.makePromise(of: RunStatistics.self)
            channel.eventLoop.execute {
                guard let driver = try? channel.pipeline.syncOperations.handler(type: LoadDriver<Dialect>.self) else {
                    finished.succeed(RunStatistics())
                    return
                }
                driver.start(plan: plan, finished: finished)
            }
            return finished.futureResult
        }
        let deadline = plan.end + LoadRun.drainGrace
        let closer = Task {
            guard (try? await Task.sleep(until: deadline, clock: .continuous)) != nil else { return }
            for channel in channels { channel.close(promise: nil) }
        }
        var statistics = RunStatistics()
        for result in results {
            // A driver always hands its statistics over: at the latest when the closer closes its connection.
            if let connectionStatistics = try? await result.get() { statistics.merge(connectionStatistics) }
        }
        closer.cancel()
        for channel in channels { try? await channel.close() }
        return (statistics, plan.recordingStart)
    }

    private func connect(_ index: Int, sampler: TenantSampler) async throws(BenchError) -> any Channel {
        let host = self.configuration.connectHost
        let port = self.configuration.port(ofConnection: index)
        let driverSettings = (
            dialect: self.dialect,
            workload: WorkloadGenerator(
                seed: self.configuration.seed,
                lane: index,
                sampler: sampler,
                mix: self.configuration.mix,
                tenants: self.tenants
            ),
            pipeline: self.configuration.pipeline
        )
        do {
            return try await ClientBootstrap(group: self.group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let driver = LoadDriver(
                            dialect: driverSettings.dialect,
                            workload: driverSettings.workload,
                            connectionIndex: index,
                            pipeline: driverSettings.pipeline
                        )
                        try channel.pipeline.syncOperations.addHandler(driver)
                    }
                }
                .connect(host: host, port: port)
                .get()
        } catch {
            throw .connectFailed(
                address: BenchConfiguration.address(host: host, port: port),
                reason: ConnectFailure.reason(error)
            )
        }
    }
}

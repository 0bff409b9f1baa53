/// Drives the load of an HTTP run over open connections: `pipeline` lanes per connection, paced by one
/// ``LoadSchedule``.
struct LoadRun: Sendable {
    /// How long requests still outstanding at the end of the run may take before their connections are closed.
    static let drainGrace: Duration = .seconds(10)

    let configuration: BenchConfiguration
    let tenants: TenantTable
    let connections: [any BenchConnection]

    /// Runs the load and answers what the recorded requests came to, and when recording started.
    func run() async -> (statistics: RunStatistics, recordingStart: ContinuousClock.Instant) {
        let timetable: OpenLoopTimetable?
        switch self.configuration.shape {
        case .closedLoop: timetable = nil
        case .openLoop(let rate): timetable = OpenLoopTimetable(requestsPerSecond: rate)
        }
        let schedule = LoadSchedule(
            start: ContinuousClock.now,
            warmup: self.configuration.warmup,
            duration: self.configuration.duration,
            requestLimit: self.configuration.requestLimit,
            timetable: timetable
        )
        let sampler = TenantSampler(tenants: self.tenants.count, distribution: self.configuration.distribution)
        let recorders = self.connections.map { _ in ConnectionRecorder() }
        let lanes = self.connections.enumerated().map { index, connection in
            (0..<self.configuration.pipeline).map { depth in
                LoadLane(
                    connection: connection,
                    recorder: recorders[index],
                    schedule: schedule,
                    workload: WorkloadGenerator(
                        seed: self.configuration.seed,
                        lane: index * self.configuration.pipeline + depth,
                        sampler: sampler,
                        mix: self.configuration.mix,
                        tenants: self.tenants
                    )
                )
            }
        }
        await self.drive(lanes, until: schedule.endInstant + Self.drainGrace)
        var statistics = RunStatistics()
        for recorder in recorders { statistics.merge(recorder.snapshot) }
        return (statistics, schedule.recordingStartInstant)
    }

    /// Runs every lane to its end; at `deadline` closes the connections, so requests still outstanding fail and
    /// the lanes end.
    ///
    /// `lanes` holds each connection's lanes. They run in one task group per connection: a task group's cost of
    /// retiring a child grows with its number of children, and one group of up to 65 536 lanes took seconds to wind
    /// down.
    private func drive(_ lanes: [[LoadLane]], until deadline: ContinuousClock.Instant) async {
        let connections = self.connections
        await withTaskGroup(of: Bool.self) { group in
            for connectionLanes in lanes {
                group.addTask {
                    await withDiscardingTaskGroup { laneGroup in
                        for lane in connectionLanes {
                            laneGroup.addTask {
                                var lane = lane
                                await lane.run()
                            }
                        }
                    }
                    return true
                }
            }
            group.addTask {
                guard (try? await Task.sleep(until: deadline, clock: .continuous)) != nil else { return false }
                for connection in connections { await connection.close() }
                return false
            }
            var finishedConnections = 0
            for await isConnection in group where isConnection {
                finishedConnections += 1
                if finishedConnections == lanes.count { group.cancelAll() }
            }
        }
    }
}

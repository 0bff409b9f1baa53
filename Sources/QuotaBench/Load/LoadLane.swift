/// One request outstanding at a time on a connection: takes a ticket, waits for its slot (open loop), sends, records.
///
/// A lane stops at the first request that got no answer: its connection is gone and is not reopened, and failing
/// at once in a tight loop would only count errors.
struct LoadLane: Sendable {
    let connection: any BenchConnection
    let recorder: ConnectionRecorder
    let schedule: LoadSchedule
    var workload: WorkloadGenerator

    /// Sends requests until the schedule has no more tickets or the connection is lost.
    mutating func run() async {
        let clock = ContinuousClock()
        while let ticket = self.schedule.next(now: clock.now) {
            if let due = ticket.scheduled, due > clock.now {
                // A cancelled sleep only means the run is being torn down; the request is still sent and counted.
                try? await Task.sleep(until: due, clock: clock)
            }
            let request = self.workload.next()
            let origin = ticket.scheduled ?? clock.now
            let outcome = await self.connection.execute(request)
            if ticket.recorded { self.recorder.record(outcome, origin: origin, completion: clock.now) }
            guard outcome.isAnswered else { return }
        }
    }
}

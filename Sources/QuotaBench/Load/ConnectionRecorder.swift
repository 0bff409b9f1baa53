import Synchronization

/// The statistics of one connection, shared by its lanes (one histogram per connection, not per lane, keeps
/// memory at about 140 KB per connection however deep the pipeline).
final class ConnectionRecorder: Sendable {
    private let statistics = Mutex(RunStatistics())

    /// Counts one recorded request; see ``RunStatistics/record(_:origin:completion:)``.
    func record(_ outcome: RequestOutcome, origin: ContinuousClock.Instant, completion: ContinuousClock.Instant) {
        self.statistics.withLock { $0.record(outcome, origin: origin, completion: completion) }
    }

    /// What was recorded so far.
    var snapshot: RunStatistics { self.statistics.withLock { $0 } }
}

import Synchronization

/// Hands out tickets to the lanes: in an open loop the timetable's slots in order, in a closed loop one ticket per
/// request as lanes ask; it stops at the end of the run or once `requestLimit` recorded tickets are out.
final class LoadSchedule: Sendable {
    private struct State {
        var nextIndex = 0
        var recordedIssued = 0
        var finished = false
    }

    private let start: ContinuousClock.Instant
    private let recordingStart: ContinuousClock.Instant
    private let end: ContinuousClock.Instant
    private let requestLimit: Int?
    private let timetable: OpenLoopTimetable?
    private let state = Mutex(State())

    /// Creates the schedule of a run that starts at `start`: warmup, then `duration` recorded.
    init(
        start: ContinuousClock.Instant,
        warmup: Duration,
        duration: Duration,
        requestLimit: Int?,
        timetable: OpenLoopTimetable?
    ) {
        self.start = start
        self.recordingStart = start + warmup
        self.end = start + warmup + duration
        self.requestLimit = requestLimit
        self.timetable = timetable
    }

    /// When recording starts.
    var recordingStartInstant: ContinuousClock.Instant { self.recordingStart }

    /// When the last request may be sent (or be due).
    var endInstant: ContinuousClock.Instant { self.end }

    /// The next ticket, or `nil` when the run is over.
    func next(now: ContinuousClock.Instant) -> Ticket? {
        self.state.withLock { state in
            guard !state.finished else { return nil }
            let due = self.timetable.map { self.start + $0.offset(ofRequest: state.nextIndex) }
            let intended = due ?? now
            guard intended < self.end else {
                state.finished = true
                return nil
            }
            let recorded = intended >= self.recordingStart
            if recorded {
                if let limit = self.requestLimit, state.recordedIssued >= limit {
                    state.finished = true
                    return nil
                }
                state.recordedIssued += 1
            }
            state.nextIndex += 1
            return Ticket(scheduled: due, recorded: recorded)
        }
    }
}

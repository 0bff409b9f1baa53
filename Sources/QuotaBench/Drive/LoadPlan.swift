import Synchronization

/// The bounds of one run, shared by the drivers of all its connections: when recording starts, when the last
/// request may be sent (or be due), how many recorded requests may be sent, and the open loop's timetable.
///
/// A closed loop touches the shared state only when `--requests` bounds the run (one atomic increment per
/// recorded request); an open loop never does, because each connection owns a fixed share of the timetable.
final class LoadPlan: Sendable {
    /// When the load starts.
    let start: ContinuousClock.Instant
    /// When recording starts: requests sent (closed loop) or due (open loop) before are not recorded.
    let recordingStart: ContinuousClock.Instant
    /// No request is sent (closed loop) or due (open loop) at or after this instant.
    let end: ContinuousClock.Instant
    /// The most recorded requests; `nil` for no bound other than ``end``.
    let requestLimit: Int?
    /// The open loop's timetable; `nil` in a closed loop.
    let timetable: OpenLoopTimetable?
    /// The number of connections: connection c owns the timetable's requests c, c + connections, …
    let connections: Int
    /// The index in the timetable of the first request due at or after ``recordingStart`` (open loop; 0 otherwise).
    let firstRecordedIndex: Int
    private let recordedIssued = Atomic<Int>(0)

    /// Creates the plan of a run that starts at `start`: `warmup`, then at most `duration` recorded.
    init(
        start: ContinuousClock.Instant,
        warmup: Duration,
        duration: Duration,
        requestLimit: Int?,
        timetable: OpenLoopTimetable?,
        connections: Int
    ) {
        self.start = start
        self.recordingStart = start + warmup
        self.end = start + warmup + duration
        self.requestLimit = requestLimit
        self.timetable = timetable
        self.connections = connections
        var first = 0
        if let timetable {
            first = Int((warmup.inSeconds * timetable.requestsPerSecond).rounded(.down))
            while first > 0, timetable.offset(ofRequest: first - 1) >= warmup { first -= 1 }
            while timetable.offset(ofRequest: first) < warmup { first += 1 }
        }
        self.firstRecordedIndex = first
    }

    /// Takes one of the ``requestLimit`` recorded requests of a closed loop.
    ///
    /// - Returns: `false` once they are all taken (always `true` without a limit).
    func claimRecordedRequest() -> Bool {
        guard let limit = self.requestLimit else { return true }
        return self.recordedIssued.wrappingAdd(1, ordering: .relaxed).oldValue < limit
    }

    /// When request `index` of the open loop's timetable is due, or `nil` when it falls outside the run (at or
    /// after ``end``, or beyond the ``requestLimit`` recorded requests).
    func due(ofRequest index: Int) -> ContinuousClock.Instant? {
        guard let timetable = self.timetable else { return nil }
        if let limit = self.requestLimit, index >= self.firstRecordedIndex + limit { return nil }
        let due = self.start + timetable.offset(ofRequest: index)
        return due < self.end ? due : nil
    }
}

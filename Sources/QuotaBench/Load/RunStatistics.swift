import Histogram

/// What the recorded requests of part of a run came to: outcome counts, a latency histogram, the first errors.
struct RunStatistics: Sendable {
    /// Latencies above this are recorded as this: 60 s, in microseconds.
    static let highestLatencyMicroseconds: UInt64 = 60_000_000
    /// How many distinct error messages are kept.
    static let keptErrorMessages = 5

    var allowed = 0
    var denied = 0
    var errors = 0
    /// Latency in microseconds, 1 µs … 60 s, 3 significant digits, of every request that got an answer.
    var latency = Histogram<UInt64>(
        lowestDiscernibleValue: 1,
        highestTrackableValue: RunStatistics.highestLatencyMicroseconds,
        numberOfSignificantValueDigits: .three
    )
    /// The first distinct error messages, in the order first seen.
    var errorMessages: [String] = []
    /// When the last recorded request completed.
    var lastCompletion: ContinuousClock.Instant?

    /// The number of recorded requests.
    var requests: Int { self.allowed + self.denied + self.errors }

    /// Counts one recorded request that was sent (or due) at `origin` and completed at `completion`.
    mutating func record(
        _ outcome: RequestOutcome,
        origin: ContinuousClock.Instant,
        completion: ContinuousClock.Instant
    ) {
        switch outcome {
        case .allowed: self.allowed += 1
        case .denied: self.denied += 1
        case .failed(let message), .transportFailed(let message):
            self.errors += 1
            self.keep(message)
        }
        if outcome.isAnswered { self.latency.record(Self.microseconds(completion - origin)) }
        self.lastCompletion = max(self.lastCompletion ?? completion, completion)
    }

    /// Adds the counts, latencies and error messages of `other`.
    mutating func merge(_ other: RunStatistics) {
        self.allowed += other.allowed
        self.denied += other.denied
        self.errors += other.errors
        self.latency.add(other.latency)
        for message in other.errorMessages { self.keep(message) }
        if let last = other.lastCompletion { self.lastCompletion = max(self.lastCompletion ?? last, last) }
    }

    /// Keeps `message` if it is new and fewer than ``keptErrorMessages`` are kept.
    private mutating func keep(_ message: String) {
        guard self.errorMessages.count < Self.keptErrorMessages, !self.errorMessages.contains(message) else { return }
        self.errorMessages.append(message)
    }

    /// `duration` in whole microseconds, clamped to 0 … ``highestLatencyMicroseconds``.
    static func microseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let total = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000)
        guard !total.overflow else { return self.highestLatencyMicroseconds }
        return min(total.partialValue + UInt64(attoseconds / 1_000_000_000_000), self.highestLatencyMicroseconds)
    }
}

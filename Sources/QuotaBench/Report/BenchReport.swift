import Histogram

/// What a run measured: throughput, latency percentiles, outcome counts, and the settings.
///
/// Throughput counts answered decisions only (``allowed`` + ``denied``): a failed request is not a decision, so
/// a run whose requests all failed has a throughput of 0, in the text report as in the JSON.
///
/// Encodes (see ``JSONReport``) as one JSON object with stable snake_case names: `ops_per_second`, `p50_us`,
/// `p90_us`, `p99_us`, `p999_us`, `max_us`, `requests`, `allowed`, `denied`, `errors`, `error_messages`,
/// `duration_seconds` and `settings`.
public struct BenchReport: Hashable, Sendable, Encodable {
    /// Recorded requests: ``allowed`` + ``denied`` + ``errors``.
    public var requests: Int
    /// Requests admitted (status reads count here).
    public var allowed: Int
    /// Requests denied by a hard limit.
    public var denied: Int
    /// Requests answered with an error, or not answered at all.
    public var errors: Int
    /// The first distinct error messages (at most five).
    public var errorMessages: [String]
    /// From the start of recording to the last recorded completion, in seconds.
    public var durationSeconds: Double
    /// Answered decisions per second: (``allowed`` + ``denied``) / ``durationSeconds``, errors left out; 0 when
    /// nothing was recorded.
    public var opsPerSecond: Double
    /// Median latency, in microseconds (answered requests only, as are all the latencies).
    public var p50Microseconds: UInt64
    /// 90th percentile latency, in microseconds.
    public var p90Microseconds: UInt64
    /// 99th percentile latency, in microseconds.
    public var p99Microseconds: UInt64
    /// 99.9th percentile latency, in microseconds.
    public var p999Microseconds: UInt64
    /// Highest latency, in microseconds (recorded up to 60 s).
    public var maxMicroseconds: UInt64
    /// The effective settings.
    public var settings: BenchSettings

    enum CodingKeys: String, CodingKey {
        case requests, allowed, denied, errors
        case errorMessages = "error_messages"
        case durationSeconds = "duration_seconds"
        case opsPerSecond = "ops_per_second"
        case p50Microseconds = "p50_us"
        case p90Microseconds = "p90_us"
        case p99Microseconds = "p99_us"
        case p999Microseconds = "p999_us"
        case maxMicroseconds = "max_us"
        case settings
    }

    /// Why the run counts as failed although it completed: no recorded request was allowed or denied (every one
    /// failed, or none was recorded); `nil` when at least one succeeded.
    public var failure: BenchError? {
        guard self.allowed + self.denied == 0 else { return nil }
        return .noRequestSucceeded(requests: self.requests, firstError: self.errorMessages.first)
    }

    /// The report of recorded `statistics`, recording having started at `recordingStart`.
    init(statistics: RunStatistics, recordingStart: ContinuousClock.Instant, settings: BenchSettings) {
        self.requests = statistics.requests
        self.allowed = statistics.allowed
        self.denied = statistics.denied
        self.errors = statistics.errors
        self.errorMessages = statistics.errorMessages
        let elapsed = (statistics.lastCompletion ?? recordingStart) - recordingStart
        self.durationSeconds = max(0, elapsed.inSeconds)
        let decisions = statistics.allowed + statistics.denied
        self.opsPerSecond = self.durationSeconds > 0 ? Double(decisions) / self.durationSeconds : 0
        let latency = statistics.latency
        let answered = latency.totalCount > 0
        self.p50Microseconds = answered ? latency.valueAtPercentile(50) : 0
        self.p90Microseconds = answered ? latency.valueAtPercentile(90) : 0
        self.p99Microseconds = answered ? latency.valueAtPercentile(99) : 0
        self.p999Microseconds = answered ? latency.valueAtPercentile(99.9) : 0
        self.maxMicroseconds = answered ? latency.maxRecorded : 0
        self.settings = settings
    }
}

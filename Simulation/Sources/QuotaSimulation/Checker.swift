import QuotaCluster
import QuotaCore

/// The reference model the checkers compare the cluster with, built only from what clients were told and
/// what the simulator did (never from the nodes' own bookkeeping).
///
/// * Every acknowledged usage change (an `allowed` consume or a release, by event id) with the time its client
///   received it.
/// * For each grow-only series (tenant, metric, period start) of `calls` and `credits`: the running sum of
///   acknowledged amounts in acknowledgement order, so a read can be held to "at least what was acknowledged
///   before the read began".
/// * Every limit value and enforcement a client tried to set (a timed-out change may or may not have applied).
/// * When partitions were in force, and when the faults stopped.
final class Checker {
    struct SeriesKey: Hashable, Comparable {
        let tenant: TenantID
        let metric: MetricCode
        let periodStart: Timestamp

        static func < (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
            if lhs.tenant != rhs.tenant { return lhs.tenant < rhs.tenant }
            if lhs.metric != rhs.metric { return lhs.metric < rhs.metric }
            return lhs.periodStart < rhs.periodStart
        }
    }

    struct Acknowledged {
        let tenant: TenantID
        let operation: Int
        let items: [(metric: MetricCode, amount: Int64, periodStart: Timestamp)]
        let time: Int64
    }

    struct LimitHistory {
        var maximum: Int64
        var alwaysHard: Bool
    }

    let tenants: [TenantPlan]
    /// Acknowledged usage changes by event id.
    var acknowledged: [String: Acknowledged] = [:]
    /// Event ids in acknowledgement order.
    var acknowledgedOrder: [String] = []
    /// Per grow-only series: (time, running sum of acknowledged amounts).
    var timelines: [SeriesKey: [(time: Int64, sum: Int64)]] = [:]
    /// The event id each operation was acknowledged with.
    var operationEvents: [Int: String] = [:]
    var limits: [TenantID: [MetricCode: LimitHistory]] = [:]
    /// Partition windows, [start, end) (end `nil` while in force).
    var partitions: [(start: Int64, end: Int64?)] = []
    var healTime: Int64?

    var acks = 0
    var denials = 0
    var replays = 0
    var reads = 0
    var unavailableReplies = 0
    var timeouts = 0
    var retries = 0
    var indeterminate = 0
    var readChecks = 0
    var ackChecks = 0
    var admitterChecks = 0
    var longestAfterHeal: Int64 = 0
    var overAdmitted: Int64 = 0
    var overAdmittedSeries = 0
    var checkedSeries = 0
    var convergedTenants = 0
    var phantoms = 0
    var historyMismatches = 0
    /// With four or more members: failed checks a partition explains (split brain), by check.
    var splitBrain: [String: Int] = [:]
    /// With four or more members: series that lost acknowledged usage to a split brain.
    var tainted: Set<SeriesKey> = []

    init(tenants: [TenantPlan]) { self.tenants = tenants }

    func limitAttempted(_ limit: Limit) {
        var history = self.limits[limit.tenant]?[limit.metric] ?? LimitHistory(maximum: 0, alwaysHard: true)
        history.maximum = max(history.maximum, limit.value)
        history.alwaysHard = history.alwaysHard && limit.enforcement == .hard
        self.limits[limit.tenant, default: [:]][limit.metric] = history
    }

    func partitionStarted(at time: Int64) { self.partitions.append((time, nil)) }

    func partitionEnded(at time: Int64) {
        if let last = self.partitions.indices.last, self.partitions[last].end == nil {
            self.partitions[last].end = time
        }
    }

    func healed(at time: Int64) { self.healTime = time }

    /// Whether a partition was in force at some point in `[start, end]`.
    func partitioned(from start: Int64, to end: Int64) -> Bool {
        self.partitions.contains { window in window.start <= end && (window.end ?? Int64.max) >= start }
    }

    /// What clients were told before `time` about a series: the sum acknowledged.
    func acknowledgedSum(_ key: SeriesKey, before time: Int64) -> Int64 {
        guard let timeline = self.timelines[key], !timeline.isEmpty else { return 0 }
        var low = 0
        var high = timeline.count
        while low < high {
            let middle = (low + high) / 2
            if timeline[middle].time < time { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? 0 : timeline[low - 1].sum
    }

    /// The sum acknowledged so far.
    func acknowledgedSum(_ key: SeriesKey) -> Int64 { self.timelines[key]?.last?.sum ?? 0 }

    var summary: CheckerSummary {
        CheckerSummary(
            acknowledged: self.acks,
            denied: self.denials,
            replayed: self.replays,
            reads: self.reads,
            unavailable: self.unavailableReplies,
            timeouts: self.timeouts,
            retries: self.retries,
            indeterminate: self.indeterminate,
            readChecks: self.readChecks,
            acknowledgementChecks: self.ackChecks,
            admitterChecks: self.admitterChecks,
            longestAfterHeal: self.longestAfterHeal,
            overAdmitted: self.overAdmitted,
            overAdmittedSeries: self.overAdmittedSeries,
            hardSeriesChecked: self.checkedSeries,
            convergedTenants: self.convergedTenants,
            phantoms: self.phantoms,
            historyMismatches: self.historyMismatches,
            splitBrain: self.splitBrain.keys.sorted().map { "\($0)=\(self.splitBrain[$0] ?? 0)" }.joined(separator: ",")
        )
    }
}

/// What the checkers measured in one run.
public struct CheckerSummary: Sendable, Hashable {
    /// Usage changes acknowledged to clients (distinct event ids).
    public var acknowledged: Int
    /// Consumes denied.
    public var denied: Int
    /// Replayed decisions (a retried idempotency key).
    public var replayed: Int
    /// Reads answered (checks, status, limits).
    public var reads: Int
    /// `unavailable` answers.
    public var unavailable: Int
    /// Client timeouts.
    public var timeouts: Int
    /// Retries.
    public var retries: Int
    /// Keyless usage changes given up with an unknown outcome.
    public var indeterminate: Int
    /// Reads held to the acknowledged sum.
    public var readChecks: Int
    /// Acknowledgements checked against the live owner and follower.
    public var acknowledgementChecks: Int
    /// Shard checks for a single admitting owner.
    public var admitterChecks: Int
    /// The longest an operation took to get its answer after the heal, microseconds.
    public var longestAfterHeal: Int64
    /// Units admitted above a hard limit in periods that overlapped a partition (reported, not a violation).
    public var overAdmitted: Int64
    /// Series with such over-admission.
    public var overAdmittedSeries: Int
    /// Hard-limited series whose admitted sum was checked.
    public var hardSeriesChecked: Int
    /// Tenants whose owner and follower were compared after the heal.
    public var convergedTenants: Int
    /// Events of ended periods that a node stores although the replicated history applied their request under
    /// another event id (rolled-back, never acknowledged changes; see docs/simulation.md).
    public var phantoms: Int
    /// Stored periods (ended, or on a node that is no longer a replica) whose usage record differs from the sum
    /// of their events (see docs/simulation.md).
    public var historyMismatches: Int
    /// With four or more members: failed checks a partition explains (the split brain docs/cluster.md describes),
    /// as `check=count,…`; empty when there were none.
    public var splitBrain: String
}

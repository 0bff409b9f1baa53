/// What storage holds for one (tenant, metric, period start): the usage record, if any, and a summary of
/// the usage events, as returned by ``QuotaStore/periodSummaries(tenant:)``.
///
/// Replicas compare their summaries to reconcile: for a `full`-audit metric the record's usage must equal
/// the sum of the period's events, and two replicas holding the same events have the same
/// ``eventCount``, ``eventSum`` and ``eventDigest`` whatever their local sequence numbers.
public struct StoredPeriodSummary: Hashable, Sendable {
    /// The tenant.
    public var tenant: TenantID
    /// The metric.
    public var metric: MetricCode
    /// The start of the period (inclusive), UTC.
    public var periodStart: Timestamp
    /// The stored usage record's `current_usage`, or `nil` when the period has usage events but no record.
    public var recordUsage: Int64?
    /// The sum of the amounts of the period's stored usage events (0 when there are none).
    public var eventSum: Int64
    /// The number of the period's stored usage events (0 when there are none).
    public var eventCount: Int
    /// The wrapping sum (`&+`) over the period's stored usage events of ``eventIDDigest(_:)`` of each event id
    /// (0 when there are none).
    ///
    /// Order-independent and independent of node-local sequence numbers, so replicas that stored the same events
    /// agree on it. Every stored event counts, one digest per row: the same id stored twice changes it.
    public var eventDigest: UInt64

    /// Creates a summary.
    public init(
        tenant: TenantID,
        metric: MetricCode,
        periodStart: Timestamp,
        recordUsage: Int64?,
        eventSum: Int64,
        eventCount: Int,
        eventDigest: UInt64
    ) {
        self.tenant = tenant
        self.metric = metric
        self.periodStart = periodStart
        self.recordUsage = recordUsage
        self.eventSum = eventSum
        self.eventCount = eventCount
        self.eventDigest = eventDigest
    }

    /// The contribution of one usage event to ``eventDigest``: ``FNV1a64`` (FNV-1a, 64-bit: offset basis
    /// 0xcbf29ce484222325, prime 0x100000001b3) of the UTF-8 bytes of its event id.
    public static func eventIDDigest(_ eventID: String) -> UInt64 {
        FNV1a64.hash(eventID.utf8)
    }

    /// The ``eventDigest`` of a period whose stored usage events have these ids (one per stored event).
    public static func eventDigest<IDs: Sequence<String>>(of eventIDs: IDs) -> UInt64 {
        eventIDs.reduce(0) { $0 &+ Self.eventIDDigest($1) }
    }

    /// Whether `lhs` comes before `rhs` in the order of ``QuotaStore/periodSummaries(tenant:)``: by tenant, then
    /// metric, comparing the UTF-8 bytes of the strings (SQLite's `BINARY` collation, not Swift's `String` order),
    /// then period start.
    public static func precedes(_ lhs: Self, _ rhs: Self) -> Bool {
        let tenants = Self.compareBytes(lhs.tenant.rawValue, rhs.tenant.rawValue)
        if tenants != 0 { return tenants < 0 }
        let metrics = Self.compareBytes(lhs.metric.rawValue, rhs.metric.rawValue)
        if metrics != 0 { return metrics < 0 }
        return lhs.periodStart < rhs.periodStart
    }

    /// -1, 0 or 1 as the UTF-8 bytes of `lhs` sort before, equal or after those of `rhs` (`memcmp`, then length).
    private static func compareBytes(_ lhs: String, _ rhs: String) -> Int {
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let a?, let b?) where a != b: return a < b ? -1 : 1
            default: continue
            }
        }
    }
}

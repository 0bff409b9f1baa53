/// Settings of a ``QuotaLedger``.
public struct LedgerConfiguration: Sendable {
    /// What happens to a metric that has no limit.
    public enum UnknownMetricPolicy: String, Sendable, CaseIterable {
        /// Track it with enforcement `none` in ``LedgerConfiguration/unknownMetricPeriod`` (the default).
        case track
        /// Refuse it with ``QuotaError/Code/quotaNotFound``.
        case reject
    }

    /// What happens to a metric that has no limit. Default: ``UnknownMetricPolicy/track``.
    public var unknownMetrics: UnknownMetricPolicy
    /// The period layout of metrics without a limit. Default: calendar month in UTC.
    public var unknownMetricPeriod: PeriodSpec
    /// How long an applied idempotency key is remembered, in milliseconds. Default: 24 hours.
    public var idempotencyRetentionMilliseconds: Int64
    /// The most unflushed entries (usage events, dirty usage records, limit changes, idempotency keys)
    /// held in memory; past it consumes, releases and limit changes fail with ``QuotaError/Code/unavailable``.
    /// Default: 1,000,000.
    public var maximumUnflushedEntries: Int
    /// Known defects switched on deliberately, for the simulator's tests only. Always empty in production.
    public var defects: LedgerDefects = []

    /// Creates a configuration; every parameter has the default described on its property.
    public init(
        unknownMetrics: UnknownMetricPolicy = .track,
        unknownMetricPeriod: PeriodSpec? = nil,
        idempotencyRetentionMilliseconds: Int64 = 24 * 3_600_000,
        maximumUnflushedEntries: Int = 1_000_000
    ) {
        precondition(idempotencyRetentionMilliseconds > 0, "idempotency retention must be positive")
        precondition(maximumUnflushedEntries > 0, "the unflushed bound must be positive")
        self.unknownMetrics = unknownMetrics
        // A month in UTC without an anchor is always valid.
        self.unknownMetricPeriod = unknownMetricPeriod ?? (try! PeriodSpec(unit: .month))
        self.idempotencyRetentionMilliseconds = idempotencyRetentionMilliseconds
        self.maximumUnflushedEntries = maximumUnflushedEntries
    }
}

/// Defects a ``QuotaLedger`` can be told to have, so the simulator's tests can show that its checkers catch them.
///
/// Test-only: nothing in production sets one.
public struct LedgerDefects: OptionSet, Hashable, Sendable {
    /// The raw bits.
    public let rawValue: UInt32

    /// Creates a set from raw bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Consume and release ignore applied idempotency keys: a retried request is applied again.
    public static let skipIdempotencyCheck = LedgerDefects(rawValue: 1 << 0)
}

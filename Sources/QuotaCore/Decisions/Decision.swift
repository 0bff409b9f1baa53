/// The answer to a consume, check or release.
public struct Decision: Hashable, Sendable, Codable {
    /// The per-metric part of a decision.
    public struct Item: Hashable, Sendable, Codable {
        /// The metric.
        public let metric: String
        /// Whether this item alone would be admitted.
        public let allowed: Bool
        /// The policy that applied (`none` for a metric without a limit).
        public let enforcement: Enforcement
        /// Usage of the period after the request (unchanged when the request was denied or is a check that was denied).
        public let usage: Int64
        /// The limit per period, or `nil` for a metric without a limit.
        public let limit: Int64?
        /// `limit - usage`, clamped to `0…limit`; `nil` without a limit.
        public let remaining: Int64?
        /// Whether the request takes (or would take) usage above the limit.
        public let exceeded: Bool
        /// How far usage is (or would be) above the limit, 0 when it is not.
        public let overage: Int64
        /// The period's first instant, UTC milliseconds (inclusive).
        public let periodStart: Timestamp
        /// The period's reset time, UTC milliseconds (exclusive).
        public let periodEnd: Timestamp

        /// Creates an item decision.
        public init(
            metric: String,
            allowed: Bool,
            enforcement: Enforcement,
            usage: Int64,
            limit: Int64?,
            remaining: Int64?,
            exceeded: Bool,
            overage: Int64,
            periodStart: Timestamp,
            periodEnd: Timestamp
        ) {
            self.metric = metric
            self.allowed = allowed
            self.enforcement = enforcement
            self.usage = usage
            self.limit = limit
            self.remaining = remaining
            self.exceeded = exceeded
            self.overage = overage
            self.periodStart = periodStart
            self.periodEnd = periodEnd
        }
    }

    /// Whether the request was (or, for a check, would be) admitted as a whole.
    public let allowed: Bool
    /// The tenant.
    public let tenant: String
    /// One entry per request item, in request order.
    public let results: [Item]
    /// The id of the usage event the request produced; `nil` for checks and denials.
    public let eventID: String?
    /// For a hard denial: milliseconds until the earliest reset that could admit the request; `nil` otherwise.
    public let retryAfterMilliseconds: Int64?
    /// `true` when this is the stored decision of an earlier request with the same idempotency key.
    public var replayed: Bool

    /// Creates a decision.
    public init(
        allowed: Bool,
        tenant: String,
        results: [Item],
        eventID: String?,
        retryAfterMilliseconds: Int64?,
        replayed: Bool = false
    ) {
        self.allowed = allowed
        self.tenant = tenant
        self.results = results
        self.eventID = eventID
        self.retryAfterMilliseconds = retryAfterMilliseconds
        self.replayed = replayed
    }
}

extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(millisecondsSinceEpoch: try decoder.singleValueContainer().decode(Int64.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.millisecondsSinceEpoch)
    }
}

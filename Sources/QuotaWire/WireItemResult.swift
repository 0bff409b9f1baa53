/// The state of one metric of a tenant, in a decision or a status response.
public struct WireItemResult: Hashable, Sendable {
    /// The metric code; at most 65 535 bytes of UTF-8.
    public var metric: String
    /// Whether this item was (or, for check, would be) admitted.
    public var allowed: Bool
    /// The enforcement of the metric's limit.
    public var enforcement: WireEnforcement
    /// The usage of the current period, in the metric's unit.
    public var usage: Int64
    /// The limit of the period, at least 0; `nil` when the metric has no limit.
    public var limit: Int64?
    /// What is left of the limit, at least 0; `nil` when the metric has no limit.
    public var remaining: Int64?
    /// Whether usage is over the limit (possible with soft enforcement).
    public var exceeded: Bool
    /// How far usage is over the limit, 0 when it is not.
    public var overage: Int64
    /// The start of the period, inclusive, in UTC milliseconds since the Unix epoch.
    public var periodStartMs: Int64
    /// The end of the period, exclusive (the reset time), in UTC milliseconds since the Unix epoch.
    public var periodEndMs: Int64

    /// Creates an item result.
    public init(
        metric: String,
        allowed: Bool,
        enforcement: WireEnforcement,
        usage: Int64,
        limit: Int64?,
        remaining: Int64?,
        exceeded: Bool,
        overage: Int64,
        periodStartMs: Int64,
        periodEndMs: Int64
    ) {
        self.metric = metric
        self.allowed = allowed
        self.enforcement = enforcement
        self.usage = usage
        self.limit = limit
        self.remaining = remaining
        self.exceeded = exceeded
        self.overage = overage
        self.periodStartMs = periodStartMs
        self.periodEndMs = periodEndMs
    }
}

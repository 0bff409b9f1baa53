/// One immutable change of usage: a consume (positive `amount`) or a release (negative `amount`).
///
/// A multi-item consume is one event id with one `UsageEvent` per item. Usage of a period is the sum
/// of the distinct events of that period.
public struct UsageEvent: Hashable, Sendable {
    /// The id of the request that produced the event, unique across the node's lifetime
    /// (`<node>-<incarnation>-<sequence>`); shared by the items of one multi-item consume.
    public let eventID: String
    /// A node-local, strictly increasing number; the order events were applied in, used as the audit cursor.
    public let sequence: Int64
    /// The tenant whose usage changed.
    public let tenant: TenantID
    /// The metric that changed.
    public let metric: MetricCode
    /// The change in the metric's units: positive for consume, negative (or 0) for release.
    public let amount: Int64
    /// The start of the period the event counts in (inclusive).
    public let periodStart: Timestamp
    /// The client's idempotency key, if it sent one.
    public let idempotencyKey: IdempotencyKey?
    /// Client metadata: the canonical text of a JSON object, at most ``UsageRequest/maximumMetadataBytes`` bytes.
    public let metadata: String?
    /// When the node applied it.
    public let createdAt: Timestamp

    /// Creates an event.
    public init(
        eventID: String,
        sequence: Int64,
        tenant: TenantID,
        metric: MetricCode,
        amount: Int64,
        periodStart: Timestamp,
        idempotencyKey: IdempotencyKey?,
        metadata: String?,
        createdAt: Timestamp
    ) {
        self.eventID = eventID
        self.sequence = sequence
        self.tenant = tenant
        self.metric = metric
        self.amount = amount
        self.periodStart = periodStart
        self.idempotencyKey = idempotencyKey
        self.metadata = metadata
        self.createdAt = createdAt
    }
}

/// The complete current state of some tenants, sent by a shard's owner to bring a follower up to date.
///
/// Holds what memory holds — limits, the counter of each metric's current period and the idempotency
/// keys within retention — plus the stored usage events of those periods, which the runtime reads from
/// storage (events leave memory once flushed).
public struct TenantSnapshot: Hashable, Sendable, Codable {
    /// Every limit of the tenants, ordered by (tenant, metric).
    public var limits: [Limit] = []
    /// The counter of each (tenant, metric) the owner holds, ordered by (tenant, metric).
    public var records: [UsageRecord] = []
    /// Idempotency keys within retention, oldest first.
    public var idempotency: [IdempotencyEntry] = []
    /// The usage events of the periods in `records`, in the owner's sequence order.
    public var events: [UsageEvent] = []

    /// Creates an empty snapshot.
    public init() {}
}

/// The effects of ledger operations, in the order they happened: what an owner replicates to its follower.
///
/// Usage records carry absolute counter values (not increments), so applying a delta twice leaves the same
/// counters; a follower still applies each delta once, in the owner's order (see the cluster core).
public struct LedgerDelta: Hashable, Sendable, Codable {
    /// Limit changes.
    public var limitChanges: [LimitChange] = []
    /// The new value of each counter that changed.
    public var records: [UsageRecord] = []
    /// Usage events of `full`-audit metrics, with the owner's event ids and sequence numbers.
    public var events: [UsageEvent] = []
    /// Applied idempotency keys with their decisions.
    public var idempotency: [IdempotencyEntry] = []

    /// Creates an empty delta.
    public init() {}

    /// Whether the delta holds nothing.
    public var isEmpty: Bool {
        self.limitChanges.isEmpty && self.records.isEmpty && self.events.isEmpty && self.idempotency.isEmpty
    }

    /// Appends the changes of `other` after these.
    public mutating func append(_ other: LedgerDelta) {
        self.limitChanges += other.limitChanges
        self.records += other.records
        self.events += other.events
        self.idempotency += other.idempotency
    }
}

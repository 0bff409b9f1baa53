/// The audit level of the limits the bench sets before a run (quotad's `audit` field).
public enum SetupAudit: String, CaseIterable, Hashable, Sendable {
    /// Every usage event is stored.
    case full
    /// Only the counters are stored.
    case aggregate
}

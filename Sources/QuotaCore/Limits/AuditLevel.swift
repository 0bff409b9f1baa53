/// How much of a metric's usage reaches storage.
public enum AuditLevel: String, CaseIterable, Hashable, Sendable, Codable {
    /// Every usage event is stored (the default): the audit trail is complete.
    case full
    /// Only the usage records (counters) are stored, for very high-volume rate-limit metrics.
    /// Idempotency keys are still stored.
    case aggregate

    /// Parses an audit level name.
    ///
    /// - Throws: ``QuotaError/Code/invalidArgument`` for any name other than `full` or `aggregate`.
    public init(parsing name: String) throws {
        guard let value = AuditLevel(rawValue: name) else {
            throw QuotaError.invalidArgument("unknown audit level '\(name)'; expected one of full, aggregate")
        }
        self = value
    }
}

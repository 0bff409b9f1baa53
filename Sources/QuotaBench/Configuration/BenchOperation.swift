/// One kind of request the load generator sends.
public enum BenchOperation: String, CaseIterable, Hashable, Sendable {
    /// Consume 1 unit of the metric, enforcing the tenant's hard limit.
    case consume
    /// Ask whether 1 unit would be admitted, applying nothing.
    case check
    /// Read the tenant's current usage (binary and HTTP only).
    case status
}

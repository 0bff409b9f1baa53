/// How requests are spread over the tenants.
public enum TenantDistribution: Hashable, Sendable, CustomStringConvertible {
    /// Every tenant equally often.
    case uniform
    /// Tenant of rank k (1-based) with probability proportional to 1 / k^exponent: a few hot tenants, a long tail.
    case zipf(exponent: Double)

    /// `uniform` or `zipf(s=1.1)`.
    public var description: String {
        switch self {
        case .uniform: "uniform"
        case .zipf(let exponent): "zipf(s=\(exponent))"
        }
    }
}

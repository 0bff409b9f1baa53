/// Picks the tenant of each request: uniformly, or by Zipf rank (tenant `bench-0` is rank 1, the hottest).
public struct TenantSampler: Sendable {
    private enum Method: Sendable {
        case uniform(count: UInt64)
        case zipf(ZipfSampler)
    }

    private let method: Method

    /// Creates a sampler over `tenants` tenants (at least 1).
    public init(tenants: Int, distribution: TenantDistribution) {
        precondition(tenants >= 1, "there must be at least one tenant")
        switch distribution {
        case .uniform: self.method = .uniform(count: UInt64(tenants))
        case .zipf(let exponent): self.method = .zipf(ZipfSampler(count: tenants, exponent: exponent))
        }
    }

    /// A tenant index, 0…tenants-1.
    public func sample(using generator: inout SplitMix64) -> Int {
        switch self.method {
        case .uniform(let count):
            // Lemire's multiply-shift: unbiased enough for a load generator, and without a division.
            Int(generator.next().multipliedFullWidth(by: count).high)
        case .zipf(let sampler):
            sampler.sample(using: &generator) - 1
        }
    }
}

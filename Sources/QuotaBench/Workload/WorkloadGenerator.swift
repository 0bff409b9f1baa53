/// The stream of requests of one connection (binary, RESP) or load lane (HTTP): a tenant from the distribution and
/// an operation from the mix, drawn from its own SplitMix64 stream.
public struct WorkloadGenerator: Sendable {
    private var generator: SplitMix64
    private let sampler: TenantSampler
    private let mix: OperationMix
    private let tenants: TenantTable

    /// Creates the generator of stream `lane`; the same seed and lane give the same requests.
    public init(seed: UInt64, lane: Int, sampler: TenantSampler, mix: OperationMix, tenants: TenantTable) {
        // Lane streams start far apart in SplitMix64's sequence; mixing once more decorrelates neighbouring seeds.
        var seeder = SplitMix64(seed: seed &+ UInt64(lane) &* 0xD1B5_4A32_D192_ED03)
        self.generator = SplitMix64(seed: seeder.next())
        self.sampler = sampler
        self.mix = mix
        self.tenants = tenants
    }

    /// The next request.
    public mutating func next() -> BenchRequest {
        let (operation, index) = self.nextDraw()
        return BenchRequest(operation: operation, tenant: self.tenants.names[index], limit: self.tenants.limits[index])
    }

    /// The next request as drawn: its operation and its tenant's index in the ``TenantTable``; the same draws as
    /// ``next()``, without copying the tenant's name.
    public mutating func nextDraw() -> (operation: BenchOperation, tenant: Int) {
        let index = self.sampler.sample(using: &self.generator)
        return (self.mix.operation(forDraw: self.generator.next()), index)
    }
}

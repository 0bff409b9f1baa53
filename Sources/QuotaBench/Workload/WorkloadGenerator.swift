/// The stream of requests of one load lane: a tenant from the distribution and an operation from the mix,
/// drawn from the lane's own SplitMix64 stream.
public struct WorkloadGenerator: Sendable {
    private var generator: SplitMix64
    private let sampler: TenantSampler
    private let mix: OperationMix
    private let tenants: TenantTable

    /// Creates the generator of lane `lane`; the same seed and lane give the same requests.
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
        let index = self.sampler.sample(using: &self.generator)
        let operation = self.mix.operation(forDraw: self.generator.next())
        return BenchRequest(operation: operation, tenant: self.tenants.names[index], limit: self.tenants.limits[index])
    }
}

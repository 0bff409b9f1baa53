import QuotaBench
import Testing

/// The seeded workload: SplitMix64, the Zipf sampler's shape, the tenant table.
struct WorkloadTests {
    @Test func splitMix64MatchesTheReferenceImplementation() {
        // The first outputs of Vigna's splitmix64.c seeded with 0.
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func unitIntervalDrawsStayInRange() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<10000 {
            let unit = generator.nextUnitInterval()
            #expect(unit >= 0 && unit < 1)
        }
    }

    /// How often each rank 1…100 is drawn in 200 000 draws with a fixed seed.
    func zipfCounts(exponent: Double) -> [Int] {
        let sampler = ZipfSampler(count: 100, exponent: exponent)
        var generator = SplitMix64(seed: 42)
        var counts = [Int](repeating: 0, count: 101)
        for _ in 0..<200_000 { counts[sampler.sample(using: &generator)] += 1 }
        return counts
    }

    @Test func zipfRanksAreDrawnInProportionToOneOverRankToTheS() {
        let counts = self.zipfCounts(exponent: 1.1)
        #expect(counts[0] == 0)
        #expect(counts[1] > counts[2])
        #expect(counts[2] > counts[3])
        #expect(counts[1] > counts[10])
        #expect(counts[10] > counts[100])
        #expect(counts[100] > 0)
        // P(1) / P(10) is 10^1.1 ≈ 12.6; allow for sampling noise.
        let ratio = Double(counts[1]) / Double(counts[10])
        #expect(ratio > 10.5 && ratio < 15)
        // Ranks 1…10 carry most of the draws: 62.6 % for s = 1.1 over 100 ranks.
        let head = counts[1...10].reduce(0, +)
        #expect(head > 122_000 && head < 128_500)
    }

    @Test func aLargerExponentConcentratesTheDrawsMore() {
        let flat = self.zipfCounts(exponent: 0.5)
        let steep = self.zipfCounts(exponent: 2)
        #expect(steep[1] > flat[1])
        #expect(steep[100] < flat[100])
    }

    @Test func zipfRanksCoverTheWholeUnitInterval() {
        let sampler = ZipfSampler(count: 1000, exponent: 1.1)
        #expect(sampler.rank(forUnit: 0) == 1)
        #expect(sampler.rank(forUnit: 0.999_999_999) == 1000)
        #expect(ZipfSampler(count: 1, exponent: 3).rank(forUnit: 0.5) == 1)
    }

    @Test func aFixedSeedGivesTheSameTenants() {
        let sampler = TenantSampler(tenants: 1000, distribution: .zipf(exponent: 1.1))
        var first = SplitMix64(seed: 9)
        var second = SplitMix64(seed: 9)
        let a = (0..<100).map { _ in sampler.sample(using: &first) }
        let b = (0..<100).map { _ in sampler.sample(using: &second) }
        #expect(a == b)
    }

    @Test func uniformTenantsAreSpreadEvenly() {
        let sampler = TenantSampler(tenants: 10, distribution: .uniform)
        var generator = SplitMix64(seed: 3)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 { counts[sampler.sample(using: &generator)] += 1 }
        #expect(counts.allSatisfy { $0 > 9000 && $0 < 11000 })
    }

    @Test func theExhaustFractionPicksThatManyTenantsFromTheSeed() {
        let limits = LimitSettings(limit: 1000, exhaustFraction: 0.25, period: .minute)
        let table = TenantTable(count: 100, limits: limits, seed: 5)
        #expect(table.exhaustedIndexes.count == 25)
        #expect(table.limits.filter { $0 == LimitSettings.exhaustedLimit }.count == 25)
        #expect(table.limits.filter { $0 == 1000 }.count == 75)
        #expect(table.names[7] == "bench-7")
        #expect(TenantTable(count: 100, limits: limits, seed: 5).exhaustedIndexes == table.exhaustedIndexes)
        #expect(TenantTable(count: 100, limits: limits, seed: 6).exhaustedIndexes != table.exhaustedIndexes)
        let tiny = LimitSettings(limit: 1000, exhaustFraction: 0.001, period: .minute)
        #expect(TenantTable(count: 10, limits: tiny, seed: 5).exhaustedIndexes.count == 1)
    }

    @Test func periodsStartOnTheirBoundaries() {
        #expect(LimitPeriod.minute.start(containing: 1_795_000_123) == 1_795_000_080)
        #expect(LimitPeriod.hour.start(containing: 1_795_000_123) == 1_794_999_600)
        #expect(LimitPeriod.day.start(containing: 1_795_000_123) == 1_794_960_000)
    }
}

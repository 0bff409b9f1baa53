/// The bench's tenants: their names and their limits, decided once before the run from the seed.
public struct TenantTable: Sendable {
    /// The tenants' names, `bench-0` … `bench-(n-1)`, by index.
    public let names: [String]
    /// Each tenant's hard limit per period, by index.
    public let limits: [Int64]
    /// The indexes of the tenants that got ``LimitSettings/exhaustedLimit``, ascending.
    public let exhaustedIndexes: [Int]

    /// Lays out `count` tenants; `round(exhaustFraction × count)` of them (at least 1 when the fraction is above 0),
    /// chosen at random from `seed`, get ``LimitSettings/exhaustedLimit``, the others `limits.limit`.
    public init(count: Int, limits: LimitSettings, seed: UInt64) {
        precondition(count >= 1, "there must be at least one tenant")
        self.names = (0..<count).map(Self.name(ofIndex:))
        var exhaustedCount = Int((limits.exhaustFraction * Double(count)).rounded())
        if limits.exhaustFraction > 0 { exhaustedCount = max(1, exhaustedCount) }
        // A partial Fisher-Yates shuffle from its own stream, so the choice does not depend on the request stream.
        var generator = SplitMix64(seed: seed ^ 0x9E6C_63D0_676A_9A99)
        var indexes = Array(0..<count)
        for position in 0..<exhaustedCount {
            let pick = position + Int(generator.next() % UInt64(count - position))
            indexes.swapAt(position, pick)
        }
        self.exhaustedIndexes = indexes.prefix(exhaustedCount).sorted()
        var perTenant = [Int64](repeating: limits.limit, count: count)
        for index in self.exhaustedIndexes { perTenant[index] = LimitSettings.exhaustedLimit }
        self.limits = perTenant
    }

    /// The number of tenants.
    public var count: Int { self.names.count }

    /// The name of the tenant with index `index`: `bench-<index>`.
    public static func name(ofIndex index: Int) -> String { "bench-\(index)" }
}

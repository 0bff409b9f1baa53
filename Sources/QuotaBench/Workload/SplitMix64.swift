/// SplitMix64 (Steele, Lea, Flood 2014; the constants of Vigna's reference `splitmix64.c`): a tiny, fully
/// specified generator, so a `--seed` gives the same workload on every platform and run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { self.state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform `Double` in `[0, 1)`, from the top 53 bits of ``next()``.
    public mutating func nextUnitInterval() -> Double {
        Double(self.next() >> 11) * 0x1.0p-53
    }
}

/// The simulator's only source of randomness: xoshiro256** (Blackman and Vigna, 2018) seeded through SplitMix64.
///
/// A run is a function of its seed: the four words of state are the first four outputs of SplitMix64 started at
/// the seed, and every draw goes through this type's own range reduction and arithmetic (no `random(in:using:)`,
/// whose algorithm the standard library may change, and no libm), so a stored seed replays the same run on any
/// toolchain and platform. Independent streams (the network, the disks, the workload, the faults) are forked
/// from the seed's generator, so changing how often one part draws does not shift the others.
public struct SimRandom: Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose state comes from SplitMix64 started at `seed`.
    public init(seed: UInt64) {
        var splitmix = seed
        func next() -> UInt64 {
            splitmix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitmix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        self.state = (next(), next(), next(), next())
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = Self.rotate(self.state.1 &* 5, 7) &* 9
        let shifted = self.state.1 << 17
        self.state.2 ^= self.state.0
        self.state.3 ^= self.state.1
        self.state.1 ^= self.state.2
        self.state.0 ^= self.state.3
        self.state.2 ^= shifted
        self.state.3 = Self.rotate(self.state.3, 45)
        return result
    }

    /// A new generator seeded from this one: an independent stream.
    public mutating func fork() -> SimRandom { SimRandom(seed: self.next()) }

    /// A uniform integer in `0..<bound` (Lemire's multiply-shift with rejection, so exactly uniform).
    ///
    /// - Precondition: `bound > 0`.
    public mutating func below(_ bound: UInt64) -> UInt64 {
        precondition(bound > 0, "the bound must be positive")
        var product = self.next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = self.next().multipliedFullWidth(by: bound) }
        }
        return product.high
    }

    /// A uniform integer in `range`.
    public mutating func int(_ range: ClosedRange<Int64>) -> Int64 {
        let span = UInt64(bitPattern: range.upperBound &- range.lowerBound) &+ 1
        if span == 0 { return Int64(bitPattern: self.next()) }
        return range.lowerBound &+ Int64(bitPattern: self.below(span))
    }

    /// A uniform index into a collection of `count` elements.
    public mutating func index(_ count: Int) -> Int { Int(self.below(UInt64(count))) }

    /// A uniform `Double` in `[0, 1)`, with 53 random bits.
    public mutating func unit() -> Double { Double(self.next() >> 11) * 0x1.0p-53 }

    /// `true` with probability `probability` (0 never, 1 always).
    public mutating func chance(_ probability: Double) -> Bool {
        probability > 0 && self.unit() < probability
    }

    /// An exponentially distributed integer with the given mean (rounded down), drawn by inversion with the
    /// simulator's own logarithm.
    public mutating func exponential(mean: Int64) -> Int64 {
        guard mean > 0 else { return 0 }
        let uniform = 1 - self.unit()
        let value = -Self.naturalLogarithm(uniform) * Double(mean)
        return Int64(min(value, Double(mean) * 50))
    }

    /// The natural logarithm of a positive finite `x`, from IEEE 754 basic operations only (so it gives the
    /// same bits everywhere): `x = m·2^e` with `m` in `[1, 2)`, and `ln m = 2·atanh((m − 1)/(m + 1))` by its series.
    static func naturalLogarithm(_ x: Double) -> Double {
        let exponent = Double(x.exponent)
        let mantissa = x.significand
        let y = (mantissa - 1) / (mantissa + 1)
        let square = y * y
        var term = y
        var sum = 0.0
        var denominator = 1.0
        for _ in 0..<24 {
            sum += term / denominator
            term *= square
            denominator += 2
        }
        return 2 * sum + exponent * 0.693_147_180_559_945_3
    }

    private static func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }
}

/// Draws indices `0..<count` with Zipf-like popularity: index `i` has weight `1/(i+1)^s` with `s` 1 or 2,
/// from integer weights, so the draw is exact and platform-independent.
public struct ZipfSampler: Sendable {
    private let cumulative: [UInt64]

    /// Creates a sampler over `count` indices with exponent `exponent` (1 or 2).
    public init(count: Int, exponent: Int) {
        var total: UInt64 = 0
        var cumulative: [UInt64] = []
        for index in 0..<max(1, count) {
            let rank = UInt64(index + 1)
            let weight = 1_000_000_000 / (exponent >= 2 ? rank * rank : rank)
            total += max(1, weight)
            cumulative.append(total)
        }
        self.cumulative = cumulative
    }

    /// An index, popular ones more often.
    public func draw(_ random: inout SimRandom) -> Int {
        let point = random.below(self.cumulative[self.cumulative.count - 1])
        var low = 0
        var high = self.cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if self.cumulative[middle] > point { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

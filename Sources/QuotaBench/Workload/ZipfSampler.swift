import Foundation

/// Draws ranks 1…n with probability proportional to 1 / rank^s (Zipf's law over a finite set).
///
/// Builds the cumulative distribution once (n doubles) and draws by binary search, so a draw costs O(log n)
/// and is exact up to floating-point rounding, for any exponent s > 0 (also s ≤ 1, where the infinite series
/// would diverge).
public struct ZipfSampler: Sendable {
    /// `cumulative[i]` is the probability of a rank ≤ i + 1; the last element is 1.
    private let cumulative: [Double]

    /// Creates a sampler over `count` ranks.
    ///
    /// - Parameters:
    ///   - count: The number of ranks, at least 1.
    ///   - exponent: The exponent s, finite and above 0.
    public init(count: Int, exponent: Double) {
        precondition(count >= 1, "a Zipf distribution needs at least one rank")
        precondition(exponent.isFinite && exponent > 0, "the Zipf exponent must be finite and above 0")
        var cumulative: [Double] = []
        cumulative.reserveCapacity(count)
        var sum = 0.0
        for rank in 1...count {
            sum += 1 / pow(Double(rank), exponent)
            cumulative.append(sum)
        }
        self.cumulative = cumulative.map { $0 / sum }
    }

    /// The rank (1…``count``) at which the cumulative probability first reaches `unit`, for `unit` in `[0, 1)`.
    public func rank(forUnit unit: Double) -> Int {
        var low = 0
        var high = self.cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if self.cumulative[middle] > unit { high = middle } else { low = middle + 1 }
        }
        return low + 1
    }

    /// A random rank, 1…``count``.
    public func sample(using generator: inout SplitMix64) -> Int {
        self.rank(forUnit: generator.nextUnitInterval())
    }
}

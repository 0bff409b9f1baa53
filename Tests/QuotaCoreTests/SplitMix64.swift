/// SplitMix64 (Steele, Lea, Flood 2014; the constants of Vigna's reference `splitmix64.c`):
/// a tiny, fully specified generator, so a seed gives the same sequence on every platform and run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { self.state = seed }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range` (modulo reduction; the tiny bias does not matter for test inputs).
    mutating func int(in range: ClosedRange<Int64>) -> Int64 {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int64(self.next() % span)
    }

    mutating func int(in range: ClosedRange<Int>) -> Int {
        Int(self.int(in: Int64(range.lowerBound)...Int64(range.upperBound)))
    }

    /// `true` with probability `percent` / 100.
    mutating func chance(_ percent: Int) -> Bool { self.next() % 100 < UInt64(percent) }

    mutating func pick<T>(_ elements: [T]) -> T { elements[self.int(in: 0...(elements.count - 1))] }
}

/// FNV-1a, 64-bit: a small, fast, non-cryptographic hash of bytes, as specified in draft-eastlake-fnv (IETF).
///
/// Each byte is XORed into the state, which is then multiplied by the prime (wrapping), starting from the
/// offset basis. The result is a fixed function of the bytes: stable across processes, platforms and
/// releases, unlike Swift's `Hasher`, so it may be stored and compared between nodes.
public struct FNV1a64: Sendable {
    /// The initial state, 0xcbf29ce484222325 (the FNV-1a hash of no bytes).
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The FNV 64-bit prime, 0x100000001b3 (2^40 + 2^8 + 0xb3).
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    @usableFromInline
    var state: UInt64 = Self.offsetBasis

    /// The hash of the bytes combined so far.
    public var value: UInt64 { self.state }

    /// Creates a hasher in its initial state (``offsetBasis``).
    public init() {}

    /// Mixes one byte into the hash.
    @inlinable
    public mutating func combine(_ byte: UInt8) {
        self.state ^= UInt64(byte)
        self.state = self.state &* Self.prime
    }

    /// Mixes bytes into the hash, in order.
    @inlinable
    public mutating func combine<Bytes: Sequence<UInt8>>(contentsOf bytes: Bytes) {
        for byte in bytes { self.combine(byte) }
    }

    /// The hash of `bytes`.
    @inlinable
    public static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var hasher = FNV1a64()
        hasher.combine(contentsOf: bytes)
        return hasher.state
    }
}

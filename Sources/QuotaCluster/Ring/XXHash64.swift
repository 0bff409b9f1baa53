/// XXH64, the 64-bit xxHash of Yann Collet (specification: github.com/Cyan4973/xxHash, `doc/xxhash_spec.md`).
///
/// The ring's fixed hash: a pure function of the bytes and the seed, identical on every node, platform
/// and run (unlike Swift's per-process `Hasher`), and reproducible by any implementation of the spec
/// (the tests pin values computed with the reference implementation).
public enum XXHash64 {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    /// The XXH64 of `bytes` with `seed`.
    public static func hash(_ bytes: some Collection<UInt8>, seed: UInt64 = 0) -> UInt64 {
        let input = Array(bytes)
        return input.withUnsafeBufferPointer { self.hash($0, seed: seed) }
    }

    /// The XXH64 of the UTF-8 bytes of `text` with `seed`.
    public static func hash(_ text: String, seed: UInt64 = 0) -> UInt64 {
        var text = text
        return text.withUTF8 { self.hash($0, seed: seed) }
    }

    /// The XXH64 of the bytes in `input` with `seed`.
    static func hash(_ input: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        let count = input.count
        var offset = 0
        var hash: UInt64
        if count >= 32 {
            var v1 = seed &+ prime1 &+ prime2
            var v2 = seed &+ prime2
            var v3 = seed
            var v4 = seed &- prime1
            while offset + 32 <= count {
                v1 = self.round(v1, self.read64(input, offset))
                v2 = self.round(v2, self.read64(input, offset + 8))
                v3 = self.round(v3, self.read64(input, offset + 16))
                v4 = self.round(v4, self.read64(input, offset + 24))
                offset += 32
            }
            hash = self.rotate(v1, 1) &+ self.rotate(v2, 7) &+ self.rotate(v3, 12) &+ self.rotate(v4, 18)
            for lane in [v1, v2, v3, v4] {
                hash ^= self.round(0, lane)
                hash = hash &* prime1 &+ prime4
            }
        } else {
            hash = seed &+ prime5
        }
        hash &+= UInt64(count)
        while offset + 8 <= count {
            hash ^= self.round(0, self.read64(input, offset))
            hash = self.rotate(hash, 27) &* prime1 &+ prime4
            offset += 8
        }
        if offset + 4 <= count {
            hash ^= UInt64(self.read32(input, offset)) &* prime1
            hash = self.rotate(hash, 23) &* prime2 &+ prime3
            offset += 4
        }
        while offset < count {
            hash ^= UInt64(input[offset]) &* prime5
            hash = self.rotate(hash, 11) &* prime1
            offset += 1
        }
        hash ^= hash >> 33
        hash &*= prime2
        hash ^= hash >> 29
        hash &*= prime3
        hash ^= hash >> 32
        return hash
    }

    private static func round(_ accumulator: UInt64, _ lane: UInt64) -> UInt64 {
        self.rotate(accumulator &+ lane &* prime2, 31) &* prime1
    }

    private static func rotate(_ value: UInt64, _ bits: UInt64) -> UInt64 {
        (value << bits) | (value >> (64 - bits))
    }

    /// The little-endian 64-bit lane at `offset`; `offset + 8 <= input.count`.
    private static func read64(_ input: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawBufferPointer(input).loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The little-endian 32-bit lane at `offset`; `offset + 4 <= input.count`.
    private static func read32(_ input: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: UnsafeRawBufferPointer(input).loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}

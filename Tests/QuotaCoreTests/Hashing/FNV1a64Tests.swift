import QuotaCore
import Testing

@Suite("FNV-1a 64")
struct FNV1a64Tests {
    @Test(
        "known vectors of draft-eastlake-fnv",
        arguments: [
            ("", 0xcbf2_9ce4_8422_2325 as UInt64),
            ("a", 0xaf63_dc4c_8601_ec8c),
            ("foobar", 0x8594_4171_f739_67e8),
        ]
    )
    func knownVectors(input: String, expected: UInt64) {
        #expect(FNV1a64.hash(input.utf8) == expected)
        var hasher = FNV1a64()
        for byte in input.utf8 { hasher.combine(byte) }
        #expect(hasher.value == expected, "byte by byte gives the same hash")
    }

    @Test("the constants are the documented FNV offset basis and 64-bit prime")
    func constants() {
        #expect(FNV1a64.offsetBasis == 14_695_981_039_346_656_037)
        #expect(FNV1a64.prime == 1_099_511_628_211)
        #expect(FNV1a64().value == FNV1a64.offsetBasis)
    }

    @Test("combining in pieces equals hashing the concatenation")
    func incremental() {
        var hasher = FNV1a64()
        hasher.combine(contentsOf: "foo".utf8)
        hasher.combine(contentsOf: [UInt8]("bar".utf8))
        #expect(hasher.value == 0x8594_4171_f739_67e8)
    }

    /// Fingerprints are stored with idempotency keys: they must never change between releases.
    @Test("request fingerprints keep their stored values")
    func requestFingerprintGolden() throws {
        let consume = RequestFingerprint.of(
            .consume,
            items: [
                UsageRequest.Item(metric: try MetricCode("api_calls"), amount: 5),
                UsageRequest.Item(metric: try MetricCode("products"), amount: -1),
            ]
        )
        #expect(consume == 0xf2c7_3f63_5702_64a9)
        let release = RequestFingerprint.of(
            .release,
            items: [UsageRequest.Item(metric: try MetricCode("api_calls"), amount: 3)]
        )
        #expect(release == 0x64f1_ce2b_fff8_6850)
    }
}

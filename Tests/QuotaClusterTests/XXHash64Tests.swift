import QuotaCluster
import Testing

/// Values from the reference xxHash implementation (Python `xxhash` 3.x, `xxh64(data, seed)`).
@Suite struct XXHash64Tests {
    @Test(arguments: [
        ("", UInt64(0xEF46_DB37_51D8_E999)),
        ("a", 0xD24E_C4F1_A98C_6E5B),
        ("abc", 0x44BC_2CF5_AD77_0999),
        ("acme", 0xBB18_9BFB_846F_EC0C),
        ("tenant-42", 0xF9FB_B9A9_0351_4F40),
        ("n1#0", 0xD894_FA02_C36A_C9DE),
        ("0123456789abcdef0123456789abcdef-long-input-over-32-bytes", 0x3113_C442_67B2_8575),
    ])
    func matchesTheReferenceImplementation(text: String, expected: UInt64) {
        #expect(XXHash64.hash(text) == expected)
        #expect(XXHash64.hash(Array(text.utf8)) == expected)
    }

    @Test(arguments: [
        (UInt64(1), UInt64(0x46CA_3CB8_23E7_7896)),
        (2, 0x30A8_C042_1CD3_C4A8),
        (3, 0x2448_8CB7_DC52_6E66),
        (4, 0x1372_C444_2E07_884B),
    ])
    func seedsGiveTheReferenceValues(seed: UInt64, expected: UInt64) {
        #expect(XXHash64.hash("acme", seed: seed) == expected)
    }
}

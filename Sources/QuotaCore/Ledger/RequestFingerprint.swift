/// A 64-bit fingerprint of a request's operation and items, stored with an idempotency key so that the
/// same key sent with a different request is refused instead of silently replayed.
///
/// FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3), as specified in
/// draft-eastlake-fnv (IETF). Stable across processes and platforms, unlike Swift's `Hasher`.
public enum RequestFingerprint {
    /// The operations a fingerprint distinguishes.
    public enum Operation: UInt8, Sendable {
        /// A consume.
        case consume = 1
        /// A release.
        case release = 2
    }

    /// The fingerprint of `operation` applied to `items` (metric bytes, a 0 separator, the amount's 8 bytes).
    public static func of(_ operation: Operation, items: [UsageRequest.Item]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        mix(operation.rawValue)
        for item in items {
            for byte in item.metric.rawValue.utf8 { mix(byte) }
            mix(0)
            var amount = UInt64(bitPattern: item.amount)
            for _ in 0..<8 {
                mix(UInt8(truncatingIfNeeded: amount))
                amount >>= 8
            }
        }
        return hash
    }
}

/// A 64-bit fingerprint of a request's operation and items, stored with an idempotency key so that the
/// same key sent with a different request is refused instead of silently replayed.
///
/// ``FNV1a64`` (FNV-1a, 64-bit) of the operation and the items' bytes. Stable across processes and
/// platforms, unlike Swift's `Hasher`.
public enum RequestFingerprint {
    /// The operations a fingerprint distinguishes.
    public enum Operation: UInt8, Sendable {
        /// A consume.
        case consume = 1
        /// A release.
        case release = 2
    }

    /// The fingerprint of `operation` applied to `items` (metric bytes, a 0 separator, the amount's 8 bytes).
    public static func of(_ operation: Operation, items: SmallArray<UsageRequest.Item>) -> UInt64 {
        var hasher = FNV1a64()
        hasher.combine(operation.rawValue)
        for item in items {
            hasher.combine(contentsOf: item.metric.rawValue.utf8)
            hasher.combine(0)
            var amount = UInt64(bitPattern: item.amount)
            for _ in 0..<8 {
                hasher.combine(UInt8(truncatingIfNeeded: amount))
                amount >>= 8
            }
        }
        return hasher.value
    }
}

/// The error codes that the wire layer itself puts in error frames.
///
/// Every other code an error frame may carry (`invalid_argument`, `quota_not_found`,
/// `idempotency_conflict`, `unavailable`) comes from the node, which owns the full list;
/// docs/wire-protocol.md lists them all. Codes are stable: one is never reused for another meaning.
public enum WireErrorCode {
    /// A frame was unreadable: a bad header, or a body that does not follow its layout.
    public static let badFrame = "bad_frame"
    /// A frame header announced a body larger than the receiver accepts.
    public static let payloadTooLarge = "payload_too_large"
    /// The responder failed unexpectedly, for example it produced a response that cannot be encoded.
    public static let internalError = "internal"
}

/// A client-chosen id for one consume or release: a retried request with the same key is applied once.
///
/// 1…255 bytes of UTF-8 without control characters (255 as in the IETF `Idempotency-Key` header draft's
/// common practice). Keys are scoped to a tenant.
public struct IdempotencyKey: Hashable, Sendable, CustomStringConvertible {
    /// The maximum length of a key, in UTF-8 bytes.
    public static let maximumBytes = 255

    /// The key as given by the client.
    public let rawValue: String

    /// Validates and wraps an idempotency key.
    ///
    /// - Throws: ``QuotaError/Code/invalidArgument`` when `rawValue` is empty, over 255 bytes, or has a control character.
    public init(_ rawValue: String) throws {
        try Identifier.validate(rawValue, field: "idempotency key", maximumBytes: Self.maximumBytes)
        self.rawValue = rawValue
    }

    public var description: String { self.rawValue }

    /// Equal when the UTF-8 bytes are equal (not Swift's canonical equivalence), as storage and the ring see them.
    public static func == (lhs: IdempotencyKey, rhs: IdempotencyKey) -> Bool {
        Identifier.equal(lhs.rawValue, rhs.rawValue)
    }

    /// Hashes the UTF-8 bytes.
    public func hash(into hasher: inout Hasher) { Identifier.hash(self.rawValue, into: &hasher) }
}

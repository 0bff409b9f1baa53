/// What is counted, for example `api_calls`, `products` or `storage_bytes`: 1…128 bytes of UTF-8
/// without control characters.
public struct MetricCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The maximum length of a metric code, in UTF-8 bytes.
    public static let maximumBytes = 128

    /// The code as given by the client.
    public let rawValue: String

    /// Validates and wraps a metric code.
    ///
    /// - Throws: ``QuotaError/Code/invalidArgument`` when `rawValue` is empty, over 128 bytes, or has a control character.
    public init(_ rawValue: String) throws {
        try Identifier.validate(rawValue, field: "metric", maximumBytes: Self.maximumBytes)
        self.rawValue = rawValue
    }

    public static func < (lhs: MetricCode, rhs: MetricCode) -> Bool { Identifier.precedes(lhs.rawValue, rhs.rawValue) }
    public var description: String { self.rawValue }

    /// Equal when the UTF-8 bytes are equal (not Swift's canonical equivalence), as storage and the ring see them.
    public static func == (lhs: MetricCode, rhs: MetricCode) -> Bool { Identifier.equal(lhs.rawValue, rhs.rawValue) }

    /// Hashes the UTF-8 bytes.
    public func hash(into hasher: inout Hasher) { Identifier.hash(self.rawValue, into: &hasher) }
}

/// The customer whose usage is counted: 1…128 bytes of UTF-8 without control characters.
public struct TenantID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The maximum length of a tenant id, in UTF-8 bytes.
    public static let maximumBytes = 128

    /// The id as given by the client.
    public let rawValue: String

    /// Validates and wraps a tenant id.
    ///
    /// - Throws: ``QuotaError/Code/invalidArgument`` when `rawValue` is empty, over 128 bytes, or has a control character.
    public init(_ rawValue: String) throws {
        try Identifier.validate(rawValue, field: "tenant id", maximumBytes: Self.maximumBytes)
        self.rawValue = rawValue
    }

    public static func < (lhs: TenantID, rhs: TenantID) -> Bool { Identifier.precedes(lhs.rawValue, rhs.rawValue) }
    public var description: String { self.rawValue }

    /// Equal when the UTF-8 bytes are equal (not Swift's canonical equivalence), as storage and the ring see them.
    public static func == (lhs: TenantID, rhs: TenantID) -> Bool { Identifier.equal(lhs.rawValue, rhs.rawValue) }

    /// Hashes the UTF-8 bytes.
    public func hash(into hasher: inout Hasher) { Identifier.hash(self.rawValue, into: &hasher) }
}

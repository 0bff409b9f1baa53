import QuotaCore

/// A cluster member's id: 1…64 bytes of ASCII letters, digits, `-`, `_` and `.` (for example `n1`).
///
/// Node ids are placed on the ring by their UTF-8 bytes, so renaming a node moves its shards.
public struct NodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The id as configured.
    public let rawValue: String

    /// Validates and wraps a node id.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/invalidArgument`` for an empty id, one over 64 bytes, or one with
    ///   a character other than an ASCII letter, digit, `-`, `_` or `.`.
    public init(_ rawValue: String) throws {
        let allowed = rawValue.utf8.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
        guard !rawValue.isEmpty, rawValue.utf8.count <= 64, allowed else {
            throw QuotaError.invalidArgument(
                "node id '\(rawValue)' must be 1…64 characters of letters, digits, '-', '_' or '.'"
            )
        }
        self.rawValue = rawValue
    }

    public static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { self.rawValue }
}

extension NodeID: Codable {
    /// Decodes a node id from a JSON string, validating it like ``init(_:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch let error as QuotaError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    /// Encodes the id as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }
}

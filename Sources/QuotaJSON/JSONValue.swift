import Foundation

/// Any JSON value, decoded without loss of integers (`Int64` where the number is integral and fits).
///
/// Used for client metadata (stored as canonical JSON text), for building API responses with explicit
/// `null`s, and by `quotactl` for request bodies and `--json` output. Encoding sorts object keys, so the
/// same value always gives the same bytes (Foundation does not keep the key order of a decoded object).
public enum JSONValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses UTF-8 JSON text.
    ///
    /// - Throws: Foundation's `DecodingError` when `bytes` is not valid JSON.
    public init(parsing bytes: some Collection<UInt8>) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// The value as UTF-8 JSON text with sorted keys and unescaped slashes; compact unless `pretty`.
    public func encoded(pretty: Bool = false) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { encoder.outputFormatting.insert(.prettyPrinted) }
        return Array(try encoder.encode(self))
    }

    /// The value as compact JSON text with sorted keys: the canonical form stored for metadata.
    public func canonicalText() throws -> String {
        String(decoding: try self.encoded(), as: UTF8.self)
    }
}

import Foundation
import Testing

@testable import QuotaCore

/// Foundation's JSON coders, as a runtime module would use them (default key and number strategies).
enum JSONText {
    /// Encodes with sorted keys and unescaped slashes, so that the text can be compared with a literal.
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes `text` with a default `JSONDecoder`.
    static func decode<Value: Decodable>(_ type: Value.Type, _ text: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// Encodes `value`, expects the text `json` when given, decodes it back (also from a default `JSONEncoder`'s
/// output) and expects a value equal to the original. Returns the decoded value for further checks.
@discardableResult
func expectRoundTrip<Value: Codable & Equatable>(
    _ value: Value,
    json: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> Value {
    let text = try JSONText.encode(value)
    if let json {
        #expect(text == json, sourceLocation: sourceLocation)
    }
    let decoded = try JSONText.decode(Value.self, text)
    #expect(decoded == value, "decoded from \(text)", sourceLocation: sourceLocation)
    let plain = try JSONDecoder().decode(Value.self, from: try JSONEncoder().encode(value))
    #expect(plain == value, sourceLocation: sourceLocation)
    return decoded
}

/// Expects decoding `json` as `Value` to fail with `DecodingError.dataCorrupted`; returns its context.
@discardableResult
func expectDataCorrupted<Value: Decodable>(
    _ type: Value.Type,
    _ json: String,
    sourceLocation: SourceLocation = #_sourceLocation
) -> DecodingError.Context? {
    do {
        let value = try JSONText.decode(type, json)
        Issue.record("expected dataCorrupted, decoded \(value) from \(json)", sourceLocation: sourceLocation)
    } catch DecodingError.dataCorrupted(let context) {
        return context
    } catch {
        Issue.record("expected dataCorrupted, got \(error) for \(json)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Expects decoding `json` as `Value` to fail with `dataCorrupted` carrying exactly the ``QuotaError`` that
/// `initializer` throws (its message as the description, the error as the underlying error), at `path`.
func expectRefused<Value: Decodable>(
    _ type: Value.Type,
    _ json: String,
    at path: [String] = [],
    like initializer: () throws -> Any,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let expected: QuotaError
    do {
        _ = try initializer()
        Issue.record(
            "the initializer accepted the value the decoder is expected to refuse",
            sourceLocation: sourceLocation
        )
        return
    } catch let error as QuotaError {
        expected = error
    } catch {
        Issue.record("the initializer threw \(error), not a QuotaError", sourceLocation: sourceLocation)
        return
    }
    guard let context = expectDataCorrupted(type, json, sourceLocation: sourceLocation) else { return }
    #expect(context.debugDescription == expected.message, sourceLocation: sourceLocation)
    #expect(context.underlyingError as? QuotaError == expected, sourceLocation: sourceLocation)
    #expect(context.codingPath.map(\.stringValue) == path, sourceLocation: sourceLocation)
}

/// The UTF-8 bytes of a string: `String` equality is Unicode canonical equivalence, bytes are exact.
func utf8(_ text: String?) -> [UInt8]? { text.map { Array($0.utf8) } }

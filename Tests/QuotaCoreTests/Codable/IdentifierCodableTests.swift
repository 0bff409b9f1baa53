import Foundation
import Testing

@testable import QuotaCore

@Suite("Codable: identifiers")
struct IdentifierCodableTests {
    @Test("tenant ids, metric codes and idempotency keys are single JSON strings")
    func shape() throws {
        try expectRoundTrip(tenantID("acme"), json: #""acme""#)
        try expectRoundTrip(metricCode("api_calls"), json: #""api_calls""#)
        try expectRoundTrip(idempotencyKey("order-1234"), json: #""order-1234""#)
        try expectRoundTrip(tenantID("a/b \"q\""), json: #""a/b \"q\"""#)
    }

    @Test("Unicode identifiers keep their exact bytes, including decomposed characters")
    func unicodeBytes() throws {
        for raw in ["ümlaut", "e\u{301}", "日本", "🚀", "\u{A0}x\u{200B}"] {
            let tenant = try expectRoundTrip(tenantID(raw))
            #expect(utf8(tenant.rawValue) == utf8(raw))
            let metric = try expectRoundTrip(metricCode(raw))
            #expect(utf8(metric.rawValue) == utf8(raw))
            let key = try expectRoundTrip(idempotencyKey(raw))
            #expect(utf8(key.rawValue) == utf8(raw))
        }
    }

    @Test("identifiers of exactly the maximum length round-trip")
    func maximumLength() throws {
        let tenant = String(repeating: "€", count: 42) + "ab"
        #expect(tenant.utf8.count == TenantID.maximumBytes)
        #expect(try expectRoundTrip(tenantID(tenant)).rawValue == tenant)
        #expect(try expectRoundTrip(metricCode(tenant)).rawValue == tenant)
        let key = String(repeating: "k", count: IdempotencyKey.maximumBytes)
        #expect(try expectRoundTrip(idempotencyKey(key)).rawValue == key)
    }

    @Test("an empty identifier is refused on decode with the initializer's message")
    func empty() {
        expectRefused(TenantID.self, #""""#) { try TenantID("") }
        expectRefused(MetricCode.self, #""""#) { try MetricCode("") }
        expectRefused(IdempotencyKey.self, #""""#) { try IdempotencyKey("") }
    }

    @Test("an identifier one byte over its maximum is refused on decode")
    func tooLong() {
        let tenant = String(repeating: "t", count: TenantID.maximumBytes + 1)
        expectRefused(TenantID.self, "\"\(tenant)\"") { try TenantID(tenant) }
        let metric = String(repeating: "€", count: 43)  // 129 bytes, 43 characters
        expectRefused(MetricCode.self, "\"\(metric)\"") { try MetricCode(metric) }
        let key = String(repeating: "k", count: IdempotencyKey.maximumBytes + 1)
        expectRefused(IdempotencyKey.self, "\"\(key)\"") { try IdempotencyKey(key) }
    }

    @Test("a control character (escaped in the JSON) is refused on decode")
    func controlCharacter() {
        expectRefused(TenantID.self, #""ac\u0000me""#) { try TenantID("ac\u{0}me") }
        expectRefused(MetricCode.self, #""api\ncalls""#) { try MetricCode("api\ncalls") }
        expectRefused(IdempotencyKey.self, #""k\u0085""#) { try IdempotencyKey("k\u{85}") }
    }

    @Test("a JSON value that is not a string is a type mismatch")
    func notAString() {
        for json in ["42", "null", "{}", #"["acme"]"#] {
            #expect(throws: DecodingError.self) { try JSONText.decode(TenantID.self, json) }
            #expect(throws: DecodingError.self) { try JSONText.decode(MetricCode.self, json) }
            #expect(throws: DecodingError.self) { try JSONText.decode(IdempotencyKey.self, json) }
        }
    }
}

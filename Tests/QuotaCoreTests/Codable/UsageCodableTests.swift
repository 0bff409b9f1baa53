import Foundation
import Testing

@testable import QuotaCore

@Suite("Codable: usage records, usage events, timestamps")
struct UsageCodableTests {
    @Test("a timestamp is its milliseconds since the epoch, exact at the Int64 bounds")
    func timestamp() throws {
        try expectRoundTrip(Timestamp(millisecondsSinceEpoch: 1_773_144_000_123), json: "1773144000123")
        try expectRoundTrip(Timestamp(millisecondsSinceEpoch: .min), json: "-9223372036854775808")
        try expectRoundTrip(Timestamp(millisecondsSinceEpoch: .max), json: "9223372036854775807")
    }

    @Test("a usage record has every field under a snake_case key")
    func recordShape() throws {
        let record = UsageRecord(
            tenant: Fixture.acme,
            metric: Fixture.calls,
            periodStart: Fixture.monthStart,
            periodEnd: Fixture.monthEnd,
            usage: 42,
            updatedAt: Fixture.t0
        )
        try expectRoundTrip(
            record,
            json: #"{"metric":"api_calls","period_end":1775001600000,"period_start":1772323200000,"#
                + #""tenant":"acme","updated_at":1773144000000,"usage":42}"#
        )
    }

    @Test("usage and times at the Int64 bounds round-trip exactly", arguments: [Int64.min, -1, 0, Int64.max])
    func recordEdges(number: Int64) throws {
        let record = UsageRecord(
            tenant: Fixture.acme,
            metric: Fixture.calls,
            periodStart: Timestamp(millisecondsSinceEpoch: number),
            periodEnd: Timestamp(millisecondsSinceEpoch: .max),
            usage: number,
            updatedAt: Timestamp(millisecondsSinceEpoch: .min)
        )
        let decoded = try expectRoundTrip(record)
        #expect(decoded.usage == number)
        #expect(decoded.periodStart.millisecondsSinceEpoch == number)
    }

    @Test("an empty tenant in a usage record is refused")
    func recordEmptyTenant() {
        let json = #"{"tenant":"","metric":"m","period_start":0,"period_end":1,"usage":0,"updated_at":0}"#
        expectRefused(UsageRecord.self, json, at: ["tenant"]) { try TenantID("") }
    }

    @Test("a usage event with every field")
    func eventShape() throws {
        let event = try UsageEvent(
            eventID: "n1-1-7",
            sequence: 7,
            tenant: Fixture.acme,
            metric: Fixture.calls,
            amount: 3,
            periodStart: Fixture.monthStart,
            idempotencyKey: idempotencyKey("order-1234"),
            metadata: #"{"region":"eu"}"#,
            createdAt: Fixture.t0
        )
        try expectRoundTrip(
            event,
            json: #"{"amount":3,"created_at":1773144000000,"event_id":"n1-1-7","idempotency_key":"order-1234","#
                + #""metadata":"{\"region\":\"eu\"}","metric":"api_calls","period_start":1772323200000,"#
                + #""sequence":7,"tenant":"acme"}"#
        )
    }

    @Test("nil idempotency key and metadata are left out, and decode from absent keys or null")
    func eventNilOptionals() throws {
        let event = UsageEvent(
            eventID: "n1-1-8",
            sequence: 8,
            tenant: Fixture.acme,
            metric: Fixture.calls,
            amount: -2,
            periodStart: Fixture.monthStart,
            idempotencyKey: nil,
            metadata: nil,
            createdAt: Fixture.t0
        )
        let decoded = try expectRoundTrip(
            event,
            json: #"{"amount":-2,"created_at":1773144000000,"event_id":"n1-1-8","metric":"api_calls","#
                + #""period_start":1772323200000,"sequence":8,"tenant":"acme"}"#
        )
        #expect(decoded.idempotencyKey == nil)
        #expect(decoded.metadata == nil)
        let nulls = try JSONText.decode(
            UsageEvent.self,
            #"{"amount":-2,"created_at":1773144000000,"event_id":"n1-1-8","idempotency_key":null,"metadata":null,"#
                + #""metric":"api_calls","period_start":1772323200000,"sequence":8,"tenant":"acme"}"#
        )
        #expect(nulls == event)
    }

    @Test("amounts and sequences at the Int64 bounds round-trip exactly", arguments: [Int64.min, Int64.max])
    func eventEdges(number: Int64) throws {
        let event = UsageEvent(
            eventID: "e",
            sequence: number,
            tenant: Fixture.acme,
            metric: Fixture.calls,
            amount: number,
            periodStart: Timestamp(millisecondsSinceEpoch: number),
            idempotencyKey: nil,
            metadata: nil,
            createdAt: Timestamp(millisecondsSinceEpoch: number)
        )
        let decoded = try expectRoundTrip(event)
        #expect(decoded.amount == number)
        #expect(decoded.sequence == number)
        #expect(try JSONText.encode(event).contains(#""amount":\#(number)"#))
    }

    /// Metadata texts: canonical JSON with escapes, a decomposed accent, emoji, astral letters and U+2028;
    /// then a string with raw control characters the encoder has to escape.
    static let metadataTexts = [
        "{\"note\":\"cafe\u{301} 日本 🚀 𝑚 \\\"q\\\" \\\\ \\n \u{7F}\u{2028}</script>\"}",
        "raw \n\t\r\u{0}\u{1B}\u{85} controls",
    ]

    @Test("String equality hides Unicode normalization, so the round trips also compare bytes")
    func normalizationNeedsBytes() {
        #expect("cafe\u{301}" == "caf\u{E9}")
        #expect(utf8("cafe\u{301}") != utf8("caf\u{E9}"))
    }

    @Test("Unicode metadata keeps its exact bytes", arguments: metadataTexts)
    func unicodeMetadata(metadata: String) throws {
        let event = try UsageEvent(
            eventID: "n2-3-9",
            sequence: 9,
            tenant: tenantID("ünïcode-tenant"),
            metric: metricCode("𝑚𝑒𝑡𝑟𝑖𝑐"),
            amount: 1,
            periodStart: Fixture.monthStart,
            idempotencyKey: idempotencyKey("キー-1"),
            metadata: metadata,
            createdAt: Fixture.t0
        )
        let decoded = try expectRoundTrip(event)
        #expect(utf8(decoded.metadata) == utf8(metadata))
        #expect(utf8(decoded.tenant.rawValue) == utf8(event.tenant.rawValue))
        #expect(utf8(decoded.metric.rawValue) == utf8(event.metric.rawValue))
        #expect(utf8(decoded.idempotencyKey?.rawValue) == utf8(event.idempotencyKey?.rawValue))
        // The metadata is a JSON string inside the event, not an embedded object.
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(try JSONText.encode(event).utf8)) as? [String: Any]
        )
        #expect(object["metadata"] is String)
    }

    @Test("an invalid idempotency key or metric in an event is refused at its key")
    func eventInvalidIdentifiers() {
        let key = String(repeating: "k", count: 256)
        expectRefused(UsageEvent.self, Self.eventJSON(key: "\"\(key)\""), at: ["idempotency_key"]) {
            try IdempotencyKey(key)
        }
        expectRefused(UsageEvent.self, Self.eventJSON(key: #""""#), at: ["idempotency_key"]) {
            try IdempotencyKey("")
        }
        expectRefused(UsageEvent.self, Self.eventJSON(metric: ""), at: ["metric"]) { try MetricCode("") }
    }

    @Test("an amount past Int64 is refused, not rounded", arguments: ["9223372036854775808", "-9223372036854775809"])
    func amountOverflow(amount: String) {
        #expect(throws: DecodingError.self) { try JSONText.decode(UsageEvent.self, Self.eventJSON(amount: amount)) }
    }

    static func eventJSON(metric: String = "api_calls", amount: String = "1", key: String = "null") -> String {
        #"{"event_id":"e","sequence":1,"tenant":"acme","metric":"\#(metric)","amount":\#(amount),"#
            + #""period_start":0,"idempotency_key":\#(key),"created_at":0}"#
    }
}

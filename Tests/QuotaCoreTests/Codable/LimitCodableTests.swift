import Foundation
import Testing

@testable import QuotaCore

@Suite("Codable: limits")
struct LimitCodableTests {
    @Test("a limit is tenant, metric, value, period, enforcement and audit")
    func shape() throws {
        let limit = try Limit(
            tenant: tenantID("acme"),
            metric: metricCode("api_calls"),
            value: 1000,
            period: PeriodSpec(unit: .month, anchor: BillingAnchor(day: 15), timeZone: zone("Europe/Berlin")),
            enforcement: .soft,
            audit: .aggregate
        )
        try expectRoundTrip(
            limit,
            json: #"{"audit":"aggregate","enforcement":"soft","metric":"api_calls","#
                + #""period":{"anchor":{"day":15},"time_zone":"Europe/Berlin","unit":"month"},"#
                + #""tenant":"acme","value":1000}"#
        )
    }

    @Test("every enforcement and audit level round-trips, with values 0 and Int64.max")
    func edges() throws {
        for enforcement in Enforcement.allCases {
            for audit in AuditLevel.allCases {
                for value in [0, 1, Int64.max] {
                    let limit = try makeLimit(value: value, enforcement, period: Fixture.second, audit: audit)
                    let decoded = try expectRoundTrip(limit)
                    #expect(decoded.value == value)
                    #expect(decoded.enforcement == enforcement)
                    #expect(decoded.audit == audit)
                }
            }
        }
        #expect(try JSONText.encode(makeLimit(value: .max, .hard)).contains(#""value":9223372036854775807"#))
    }

    @Test("a negative value is refused with the initializer's message", arguments: [-1, Int64.min])
    func negativeValue(value: Int64) {
        let json = Self.json(value: "\(value)")
        expectRefused(Limit.self, json) { try makeLimit(value: value, .hard) }
    }

    @Test("a value past Int64.max is refused, not rounded or wrapped")
    func valueOverflow() throws {
        #expect(throws: DecodingError.self) { try JSONText.decode(Limit.self, Self.json(value: "9223372036854775808")) }
        #expect(throws: DecodingError.self) { try JSONText.decode(Limit.self, Self.json(value: "1.5")) }
        #expect(try JSONText.decode(Limit.self, Self.json(value: "9223372036854775807")).value == .max)
    }

    @Test("an empty tenant or a too-long metric inside a limit is refused at its key")
    func invalidIdentifiers() {
        expectRefused(Limit.self, Self.json(tenant: ""), at: ["tenant"]) { try TenantID("") }
        let metric = String(repeating: "m", count: 129)
        expectRefused(Limit.self, Self.json(metric: metric), at: ["metric"]) { try MetricCode(metric) }
    }

    @Test("an unknown enforcement or audit level is refused", arguments: ["strict", "HARD", ""])
    func unknownEnums(name: String) {
        let enforcement = expectDataCorrupted(Limit.self, Self.json(enforcement: name))
        #expect(enforcement?.codingPath.map(\.stringValue) == ["enforcement"])
        let audit = expectDataCorrupted(Limit.self, Self.json(audit: name))
        #expect(audit?.codingPath.map(\.stringValue) == ["audit"])
    }

    @Test("every key is required", arguments: ["tenant", "metric", "value", "period", "enforcement", "audit"])
    func requiredKeys(key: String) throws {
        var object = try #require(JSONSerialization.jsonObject(with: Data(Self.json().utf8)) as? [String: Any])
        #expect(object.removeValue(forKey: key) != nil)
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        #expect {
            try JSONText.decode(Limit.self, text)
        } throws: { error in
            guard case DecodingError.keyNotFound(let missing, _) = error else { return false }
            return missing.stringValue == key
        }
    }

    static func json(
        tenant: String = "acme",
        metric: String = "api_calls",
        value: String = "5",
        enforcement: String = "hard",
        audit: String = "full"
    ) -> String {
        #"{"tenant":"\#(tenant)","metric":"\#(metric)","value":\#(value),"#
            + #""period":{"unit":"minute","time_zone":"UTC"},"enforcement":"\#(enforcement)","audit":"\#(audit)"}"#
    }
}

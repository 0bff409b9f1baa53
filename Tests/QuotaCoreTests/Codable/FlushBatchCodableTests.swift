import Foundation
import Testing

@testable import QuotaCore

@Suite("Codable: limit changes and tenant resets")
struct FlushBatchCodableTests {
    @Test("a set change is {\"set\": limit}")
    func setShape() throws {
        let limit = try makeLimit(value: 5, .hard, period: PeriodSpec(unit: .day, timeZone: zone("Asia/Kolkata")))
        let decoded = try expectRoundTrip(
            LimitChange.set(limit),
            json: #"{"set":{"audit":"full","enforcement":"hard","metric":"api_calls","#
                + #""period":{"time_zone":"Asia/Kolkata","unit":"day"},"tenant":"acme","value":5}}"#
        )
        guard case .set(let decodedLimit) = decoded else {
            Issue.record("decoded \(decoded)")
            return
        }
        #expect(decodedLimit.period.timeZone.identifier == "Asia/Kolkata")
    }

    @Test("a removal is {\"removed\": {\"tenant\", \"metric\"}}")
    func removedShape() throws {
        try expectRoundTrip(
            LimitChange.removed(Fixture.globex, Fixture.bytes),
            json: #"{"removed":{"metric":"storage_bytes","tenant":"globex"}}"#
        )
    }

    @Test(
        "a change with neither or both keys is refused",
        arguments: [
            "{}",
            #"{"renamed":{"tenant":"acme","metric":"m"}}"#,
            #"{"set":{},"removed":{"tenant":"acme","metric":"m"}}"#,
        ]
    )
    func notExactlyOneKey(json: String) {
        let context = expectDataCorrupted(LimitChange.self, json)
        #expect(context?.codingPath.isEmpty == true)
        #expect(context?.debugDescription.hasPrefix("a limit change has exactly one of the keys set, removed") == true)
    }

    @Test("an invalid limit or identifier inside a change is refused at its path")
    func invalidInside() throws {
        let negative =
            #"{"set":{"tenant":"acme","metric":"m","value":-5,"#
            + #""period":{"unit":"minute","time_zone":"UTC"},"enforcement":"hard","audit":"full"}}"#
        expectRefused(LimitChange.self, negative, at: ["set"]) { try makeLimit(value: -5, .hard) }
        expectRefused(LimitChange.self, #"{"removed":{"tenant":"","metric":"m"}}"#, at: ["removed", "tenant"]) {
            try TenantID("")
        }
        let anchored =
            #"{"set":{"tenant":"acme","metric":"m","value":5,"#
            + #""period":{"unit":"hour","anchor":{"day":1},"time_zone":"UTC"},"enforcement":"hard","audit":"full"}}"#
        let anchor = try BillingAnchor(day: 1)
        expectRefused(LimitChange.self, anchored, at: ["set", "period"]) {
            try PeriodSpec(unit: .hour, anchor: anchor)
        }
    }

    @Test("a tenant reset keeps its periods in order, and may have none")
    func resetShape() throws {
        let reset = TenantReset(
            tenant: Fixture.acme,
            periods: [
                .init(metric: Fixture.products, periodStart: Fixture.monthStart),
                .init(metric: Fixture.calls, periodStart: Timestamp(millisecondsSinceEpoch: .min)),
            ]
        )
        let decoded = try expectRoundTrip(
            reset,
            json: #"{"periods":[{"metric":"products","period_start":1772323200000},"#
                + #"{"metric":"api_calls","period_start":-9223372036854775808}],"tenant":"acme"}"#
        )
        #expect(decoded.periods.map(\.metric) == [Fixture.products, Fixture.calls])
        try expectRoundTrip(
            TenantReset(tenant: Fixture.globex, periods: []),
            json: #"{"periods":[],"tenant":"globex"}"#
        )
        try expectRoundTrip(
            TenantReset.MetricPeriod(metric: Fixture.calls, periodStart: Fixture.t0),
            json: #"{"metric":"api_calls","period_start":1773144000000}"#
        )
    }

    @Test("an invalid tenant or metric in a reset is refused at its path")
    func resetInvalid() {
        let tenant = String(repeating: "t", count: 129)
        expectRefused(TenantReset.self, #"{"tenant":"\#(tenant)","periods":[]}"#, at: ["tenant"]) {
            try TenantID(tenant)
        }
        expectRefused(
            TenantReset.self,
            #"{"tenant":"acme","periods":[{"metric":"ok","period_start":0},{"metric":"","period_start":0}]}"#,
            at: ["periods", "Index 1", "metric"]
        ) { try MetricCode("") }
    }
}

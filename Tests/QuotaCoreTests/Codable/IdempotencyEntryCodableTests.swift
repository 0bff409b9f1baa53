import Foundation
import Testing

@testable import QuotaCore

@Suite("Codable: idempotency entries")
struct IdempotencyEntryCodableTests {
    static let decision = Decision(
        allowed: false,
        tenant: "acme",
        results: [
            Decision.Item(
                metric: "api_calls",
                allowed: false,
                enforcement: .hard,
                usage: 5,
                limit: 5,
                remaining: 0,
                exceeded: true,
                overage: 1,
                periodStart: Fixture.monthStart,
                periodEnd: Fixture.monthEnd
            ),
            Decision.Item(
                metric: "products",
                allowed: true,
                enforcement: .none,
                usage: .max,
                limit: nil,
                remaining: nil,
                exceeded: false,
                overage: 0,
                periodStart: Timestamp(millisecondsSinceEpoch: .min),
                periodEnd: Timestamp(millisecondsSinceEpoch: .max)
            ),
        ],
        eventID: nil,
        retryAfterMilliseconds: 42_000,
        replayed: true
    )

    static func entry(fingerprint: UInt64, decision: Decision = decision) throws -> IdempotencyEntry {
        IdempotencyEntry(
            tenant: Fixture.acme,
            key: try idempotencyKey("order-1234"),
            fingerprint: fingerprint,
            decision: decision,
            createdAt: Fixture.t0
        )
    }

    @Test("an entry has tenant, key, fingerprint as a decimal string, the decision and created_at")
    func shape() throws {
        let decision = Decision(
            allowed: true,
            tenant: "acme",
            results: [],
            eventID: "n1-1-1",
            retryAfterMilliseconds: nil
        )
        try expectRoundTrip(
            Self.entry(fingerprint: 7, decision: decision),
            json: #"{"created_at":1773144000000,"decision":{"allowed":true,"eventID":"n1-1-1","replayed":false,"#
                + #""results":[],"tenant":"acme"},"fingerprint":"7","key":"order-1234","tenant":"acme"}"#
        )
    }

    @Test(
        "fingerprints round-trip exactly, including those a Double cannot hold",
        arguments: [0, 1, (1 << 53) + 1, UInt64(Int64.max), UInt64(Int64.max) + 1, .max - 1, .max] as [UInt64]
    )
    func fingerprints(fingerprint: UInt64) throws {
        let entry = try Self.entry(fingerprint: fingerprint)
        let text = try JSONText.encode(entry)
        #expect(text.contains(#""fingerprint":"\#(fingerprint)""#))
        let decoded = try expectRoundTrip(entry)
        #expect(decoded.fingerprint == fingerprint)
        #expect(decoded.decision == Self.decision)
    }

    @Test("UInt64.max is written as its 20 digits")
    func maximumFingerprint() throws {
        let text = try JSONText.encode(Self.entry(fingerprint: .max))
        #expect(text.contains(#""fingerprint":"18446744073709551615""#))
    }

    @Test(
        "a fingerprint that is not a canonical UInt64 decimal is refused",
        arguments: [
            "", "-1", "+1", "01", "00", " 1", "1 ", "0x10", "1e3", "18446744073709551616", "99999999999999999999",
        ]
    )
    func invalidFingerprint(digits: String) {
        let context = expectDataCorrupted(IdempotencyEntry.self, Self.json(fingerprint: "\"\(digits)\""))
        #expect(context?.codingPath.map(\.stringValue) == ["fingerprint"])
        #expect(context?.debugDescription.contains("'\(digits)'") == true)
    }

    @Test("a fingerprint sent as a JSON number is a type mismatch")
    func numericFingerprint() {
        #expect {
            try JSONText.decode(IdempotencyEntry.self, Self.json(fingerprint: "7"))
        } throws: { error in
            guard case DecodingError.typeMismatch = error else { return false }
            return true
        }
    }

    @Test("an invalid tenant or key inside an entry is refused at its key")
    func invalidIdentifiers() {
        expectRefused(IdempotencyEntry.self, Self.json(tenant: ""), at: ["tenant"]) { try TenantID("") }
        let key = String(repeating: "€", count: 86)  // 258 bytes
        expectRefused(IdempotencyEntry.self, Self.json(key: key), at: ["key"]) { try IdempotencyKey(key) }
    }

    static func json(tenant: String = "acme", key: String = "k", fingerprint: String = #""1""#) -> String {
        #"{"tenant":"\#(tenant)","key":"\#(key)","fingerprint":\#(fingerprint),"#
            + #""decision":{"allowed":true,"tenant":"acme","results":[],"replayed":false},"created_at":0}"#
    }
}

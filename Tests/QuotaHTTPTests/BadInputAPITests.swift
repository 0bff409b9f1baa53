import HTTPTypes
import HummingbirdTesting
import Testing

/// Every kind of bad input gets a typed error and changes nothing.
@Suite struct BadInputAPITests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let path: String
        let body: String
        let status: HTTPResponse.Status
        let code: String
        var testDescription: String { self.name }
    }

    static let consumeCases: [Case] = [
        Case(name: "not JSON", path: "acme", body: "{", status: .badRequest, code: "invalid_argument"),
        Case(name: "no items", path: "acme", body: "{}", status: .badRequest, code: "invalid_argument"),
        Case(name: "empty items", path: "acme", body: #"{"items": []}"#, status: .badRequest, code: "invalid_argument"),
        Case(
            name: "zero amount",
            path: "acme",
            body: #"{"metric": "m", "amount": 0}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "negative amount",
            path: "acme",
            body: #"{"metric": "m", "amount": -1}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "fractional amount",
            path: "acme",
            body: #"{"metric": "m", "amount": 1.5}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "amount that only rounds to an integer",
            path: "acme",
            body: #"{"metric": "m", "amount": 1.0000000000000001}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "amount in exponent form past Int64",
            path: "acme",
            body: #"{"metric": "m", "amount": 1e30}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "body that is not an object",
            path: "acme",
            body: "[1]",
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "string amount",
            path: "acme",
            body: #"{"metric": "m", "amount": "1"}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "amount over Int64",
            path: "acme",
            body: #"{"metric": "m", "amount": 9223372036854775808}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "empty metric",
            path: "acme",
            body: #"{"metric": "", "amount": 1}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "control character in metric",
            path: "acme",
            body: #"{"metric": "a\u0007b", "amount": 1}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "metric over 128 bytes",
            path: "acme",
            body: #"{"metric": "\#(String(repeating: "é", count: 65))", "amount": 1}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "metadata not an object",
            path: "acme",
            body: #"{"metric": "m", "amount": 1, "metadata": [1, 2]}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "metadata over 4 KiB",
            path: "acme",
            body: #"{"metric": "m", "amount": 1, "metadata": {"k": "\#(String(repeating: "x", count: 4100))"}}"#,
            status: .contentTooLarge,
            code: "payload_too_large"
        ),
        Case(
            name: "tenant over 128 bytes",
            path: String(repeating: "%E2%82%AC", count: 43),
            body: #"{"metric": "m", "amount": 1}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "control character in tenant",
            path: "ac%01me",
            body: #"{"metric": "m", "amount": 1}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "body over 64 KiB",
            path: "acme",
            body: #"{"metric": "m", "amount": 1, "pad": "\#(String(repeating: "x", count: 70_000))"}"#,
            status: .contentTooLarge,
            code: "payload_too_large"
        ),
    ]

    @Test(arguments: consumeCases)
    func badConsumeIsRejectedAndChangesNothing(_ bad: Case) async throws {
        try await withAPI { client, _ in
            try await client.send(.post, "/v1/tenants/acme/consume", #"{"metric": "m", "amount": 5}"#)
            let response = try await client.send(.post, "/v1/tenants/\(bad.path)/consume", bad.body)
            #expect(response.status == bad.status)
            #expect(response.errorCode == bad.code)
            let status = try await client.send(.get, "/v1/tenants/acme/status")
            #expect(usage(of: "m", in: status.json) == 5)
            let metrics = status.json["metrics"] as? [[String: Any]] ?? []
            #expect(metrics.count == 1)
        }
    }

    @Test func errorMessagesNameTheOffendingField() async throws {
        try await withAPI { client, _ in
            let fractional = try await client.send(
                .post,
                "/v1/tenants/acme/consume",
                #"{"metric": "m", "amount": 1.5}"#
            )
            #expect(fractional.errorMessage?.contains("'amount'") == true, "\(fractional.errorMessage ?? "")")
            let huge = try await client.send(
                .post,
                "/v1/tenants/acme/consume",
                #"{"metric": "m", "amount": 9223372036854775808}"#
            )
            #expect(huge.errorMessage?.contains("not valid JSON") == false, "\(huge.errorMessage ?? "")")
            let whole = try await client.send(.post, "/v1/tenants/acme/consume", #"{"metric": "m", "amount": 2.0}"#)
            #expect(whole.status == .ok)
            #expect(whole.firstResult["usage"] as? Int == 2)
        }
    }

    @Test func usageOverflowingInt64IsRejected() async throws {
        try await withAPI { client, _ in
            try await client.send(.post, "/v1/tenants/acme/consume", #"{"metric": "m", "amount": 9223372036854775807}"#)
            let response = try await client.send(.post, "/v1/tenants/acme/consume", #"{"metric": "m", "amount": 1}"#)
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "invalid_argument")
            let status = try await client.send(.get, "/v1/tenants/acme/status")
            #expect(usage(of: "m", in: status.json) == Int(Int64.max))
        }
    }

    static let limitCases: [Case] = [
        Case(
            name: "unknown period",
            path: "m",
            body: #"{"limit": 1, "period": "fortnight", "enforcement": "hard"}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "unknown enforcement",
            path: "m",
            body: #"{"limit": 1, "period": "day", "enforcement": "strict"}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "negative limit",
            path: "m",
            body: #"{"limit": -1, "period": "day", "enforcement": "hard"}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "anchor day 0",
            path: "m",
            body: #"{"limit": 1, "period": "month", "enforcement": "hard", "anchor": {"day": 0}}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "anchor day 32",
            path: "m",
            body: #"{"limit": 1, "period": "month", "enforcement": "hard", "anchor": 32}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "unknown time zone",
            path: "m",
            body: #"{"limit": 1, "period": "day", "enforcement": "hard", "time_zone": "Mars/Olympus"}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "unknown audit level",
            path: "m",
            body: #"{"limit": 1, "period": "day", "enforcement": "hard", "audit": "some"}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "missing enforcement",
            path: "m",
            body: #"{"limit": 1, "period": "day"}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
        Case(
            name: "metric over 128 bytes",
            path: String(repeating: "m", count: 129),
            body: #"{"limit": 1, "period": "day", "enforcement": "hard"}"#,
            status: .badRequest,
            code: "invalid_argument"
        ),
    ]

    @Test(arguments: limitCases)
    func badLimitIsRejectedAndChangesNothing(_ bad: Case) async throws {
        try await withAPI { client, _ in
            try await client.send(
                .put,
                "/v1/tenants/acme/limits/m",
                #"{"limit": 7, "period": "day", "enforcement": "soft"}"#
            )
            let response = try await client.send(.put, "/v1/tenants/acme/limits/\(bad.path)", bad.body)
            #expect(response.status == bad.status)
            #expect(response.errorCode == bad.code)
            let limits = try await client.send(.get, "/v1/tenants/acme/limits")
            let list = limits.json["limits"] as? [[String: Any]] ?? []
            #expect(list.count == 1)
            #expect(list.first?["limit"] as? Int == 7)
            #expect(list.first?["enforcement"] as? String == "soft")
        }
    }

    @Test func badQueryParametersAreRejected() async throws {
        try await withAPI { client, _ in
            for query in [
                "limit=0", "limit=1001", "limit=x", "from=yesterday", "cursor=-4",
                "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
            ] {
                let response = try await client.send(.get, "/v1/tenants/acme/events?\(query)")
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.errorCode == "invalid_argument", "\(query)")
            }
        }
    }

    @Test func unknownRouteAnswersAJSONError() async throws {
        try await withAPI { client, _ in
            let response = try await client.send(.get, "/v2/nothing")
            #expect(response.status == .notFound)
            #expect(response.errorCode == "not_found")
        }
    }
}

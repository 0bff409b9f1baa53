import Foundation
import HTTPTypes
import HummingbirdTesting
import QuotaCore
import Testing

@Suite struct EnforcementAPITests {
    @Test func hardLimitAdmitsExactlyTheLimitAndAnswers429WithHeaders() async throws {
        try await withAPI { client, _ in
            let set = try await client.send(
                .put,
                "/v1/tenants/acme/limits/api_calls",
                #"{"limit": 100, "period": "minute", "enforcement": "hard"}"#
            )
            #expect(set.status == .ok)
            for _ in 0..<100 {
                let response = try await client.send(
                    .post,
                    "/v1/tenants/acme/consume",
                    #"{"metric": "api_calls", "amount": 1}"#
                )
                #expect(response.status == .ok)
            }
            let denied = try await client.send(
                .post,
                "/v1/tenants/acme/consume",
                #"{"metric": "api_calls", "amount": 1}"#
            )
            #expect(denied.status == .tooManyRequests)
            #expect(denied.json["allowed"] as? Bool == false)
            #expect(denied.firstResult["usage"] as? Int == 100)
            #expect(denied.firstResult["remaining"] as? Int == 0)
            #expect(denied.header("RateLimit-Limit") == "100")
            #expect(denied.header("RateLimit-Remaining") == "0")
            let reset = try #require(denied.header("RateLimit-Reset").flatMap(Int.init))
            #expect((1...60).contains(reset))
            let retryAfter = try #require(denied.header("Retry-After").flatMap(Int.init))
            #expect(retryAfter == reset)
            #expect(denied.json["retry_after"] as? Int == retryAfter)
            let status = try await client.send(.get, "/v1/tenants/acme/status")
            #expect(usage(of: "api_calls", in: status.json) == 100)
        }
    }

    @Test func softLimitAdmitsEverythingAndReportsTheOverage() async throws {
        try await withAPI { client, _ in
            try await client.send(
                .put,
                "/v1/tenants/acme/limits/bytes",
                #"{"limit": 10, "period": "day", "enforcement": "soft"}"#
            )
            var last: TestResponse?
            for _ in 0..<12 {
                last = try await client.send(.post, "/v1/tenants/acme/consume", #"{"metric": "bytes", "amount": 1}"#)
                #expect(last?.status == .ok)
            }
            let result = try #require(last).firstResult
            #expect(result["exceeded"] as? Bool == true)
            #expect(result["overage"] as? Int == 2)
            #expect(result["remaining"] as? Int == 0)
        }
    }

    @Test func noneNeverDeniesAndUnknownMetricsAreTracked() async throws {
        try await withAPI { client, _ in
            try await client.send(
                .put,
                "/v1/tenants/acme/limits/seats",
                #"{"limit": 1, "period": "month", "enforcement": "none"}"#
            )
            for _ in 0..<3 {
                let response = try await client.send(
                    .post,
                    "/v1/tenants/acme/consume",
                    #"{"metric": "seats", "amount": 5}"#
                )
                #expect(response.status == .ok)
            }
            let unknown = try await client.send(
                .post,
                "/v1/tenants/acme/consume",
                #"{"metric": "exports", "amount": 7}"#
            )
            #expect(unknown.status == .ok)
            #expect(unknown.firstResult["enforcement"] as? String == "none")
            #expect(unknown.firstResult["limit"] is NSNull)
            let status = try await client.send(.get, "/v1/tenants/acme/status")
            #expect(usage(of: "seats", in: status.json) == 15)
            #expect(usage(of: "exports", in: status.json) == 7)
        }
    }

    @Test func unknownMetricsCanBeRefused() async throws {
        try await withAPI(ledger: LedgerConfiguration(unknownMetrics: .reject)) { client, _ in
            let response = try await client.send(
                .post,
                "/v1/tenants/acme/consume",
                #"{"metric": "exports", "amount": 1}"#
            )
            #expect(response.status == .notFound)
            #expect(response.errorCode == "quota_not_found")
        }
    }

    @Test func multiItemConsumeWithOneHardItemOverItsLimitAppliesNothing() async throws {
        try await withAPI { client, _ in
            try await client.send(
                .put,
                "/v1/tenants/acme/limits/a",
                #"{"limit": 10, "period": "hour", "enforcement": "hard"}"#
            )
            try await client.send(
                .put,
                "/v1/tenants/acme/limits/b",
                #"{"limit": 1, "period": "hour", "enforcement": "hard"}"#
            )
            let response = try await client.send(
                .post,
                "/v1/tenants/acme/consume",
                #"{"items": [{"metric": "a", "amount": 3}, {"metric": "b", "amount": 2}]}"#
            )
            #expect(response.status == .tooManyRequests)
            let results = response.json["results"] as? [[String: Any]] ?? []
            #expect(results.map { $0["allowed"] as? Bool } == [true, false])
            let status = try await client.send(.get, "/v1/tenants/acme/status")
            #expect(usage(of: "a", in: status.json) == 0)
            #expect(usage(of: "b", in: status.json) == 0)
        }
    }

    @Test func checkPeeksWithoutApplying() async throws {
        try await withAPI { client, _ in
            try await client.send(
                .put,
                "/v1/tenants/acme/limits/a",
                #"{"limit": 2, "period": "hour", "enforcement": "hard"}"#
            )
            let peek = try await client.send(.post, "/v1/tenants/acme/check", #"{"metric": "a", "amount": 0}"#)
            #expect(peek.status == .ok)
            let over = try await client.send(.post, "/v1/tenants/acme/check", #"{"metric": "a", "amount": 3}"#)
            #expect(over.status == .ok)
            #expect(over.json["allowed"] as? Bool == false)
            let status = try await client.send(.get, "/v1/tenants/acme/status")
            #expect(usage(of: "a", in: status.json) == 0)
        }
    }

    @Test func releaseNeverTakesUsageBelowZero() async throws {
        try await withAPI { client, _ in
            try await client.send(.post, "/v1/tenants/acme/consume", #"{"metric": "products", "amount": 3}"#)
            let released = try await client.send(
                .post,
                "/v1/tenants/acme/release",
                #"{"metric": "products", "amount": 5}"#
            )
            #expect(released.status == .ok)
            #expect(released.firstResult["usage"] as? Int == 0)
            let events = try await client.send(.get, "/v1/tenants/acme/events?metric=products")
            let amounts = (events.json["events"] as? [[String: Any]] ?? []).map { $0["amount"] as? Int }
            #expect(amounts == [3, -3])
        }
    }

    @Test func sameIdempotencyKeyIsCountedOnceAndReplaysTheFirstDecision() async throws {
        try await withAPI { client, _ in
            let body = #"{"metric": "api_calls", "amount": 2, "idempotency_key": "req-1"}"#
            let first = try await client.send(.post, "/v1/tenants/acme/consume", body)
            let second = try await client.send(.post, "/v1/tenants/acme/consume", body)
            #expect(first.json["event_id"] as? String == second.json["event_id"] as? String)
            #expect(second.json["replayed"] as? Bool == true)
            #expect(second.firstResult["usage"] as? Int == 2)
            let conflict = try await client.send(
                .post,
                "/v1/tenants/acme/consume",
                #"{"metric": "api_calls", "amount": 3, "idempotency_key": "req-1"}"#
            )
            #expect(conflict.status == .conflict)
            #expect(conflict.errorCode == "idempotency_conflict")
            let status = try await client.send(.get, "/v1/tenants/acme/status")
            #expect(usage(of: "api_calls", in: status.json) == 2)
        }
    }

    @Test func legacyRoutesTakeTheTenantFromTheHeader() async throws {
        try await withAPI { client, _ in
            try await client.send(.post, "/v1/tenants/acme/consume", #"{"metric": "api_calls", "amount": 4}"#)
            let status = try await client.send(
                .get,
                "/api/quota/status/",
                headers: [HTTPField.Name("X-Tenant-ID")!: "acme"]
            )
            #expect(usage(of: "api_calls", in: status.json) == 4)
            let check = try await client.send(
                .post,
                "/api/quota/check/",
                #"{"metric": "api_calls", "amount": 1}"#,
                headers: [HTTPField.Name("X-Tenant-ID")!: "acme"]
            )
            #expect(check.json["allowed"] as? Bool == true)
            let missing = try await client.send(.get, "/api/quota/status/")
            #expect(missing.status == .badRequest)
        }
    }

    @Test func anXTenantIDHeaderThatIsNotUTF8OrGivenTwiceIsRefused() async throws {
        try await withAPI { client, _ in
            let name = HTTPField.Name("X-Tenant-ID")!
            var invalid = HTTPFields()
            invalid.append(HTTPField(name: name, lenientValue: [0x61, 0xFF, 0x62]))
            let refused = try await client.send(.get, "/api/quota/status/", headers: invalid)
            #expect(refused.status == .badRequest)
            #expect(refused.errorCode == "invalid_argument")
            #expect(
                refused.errorMessage
                    == "the X-Tenant-ID header is not valid UTF-8 (U+FFFD, the replacement character, counts as invalid)"
            )
            // What a live server's HTTP parser hands over for those bytes.
            let replaced = try await client.send(.get, "/api/quota/status/", headers: [name: "a\u{FFFD}b"])
            #expect(replaced.status == .badRequest)
            #expect(replaced.errorCode == "invalid_argument")
            let accented = try await client.send(.get, "/api/quota/status/", headers: [name: "caf\u{E9}"])
            #expect(accented.status == .ok)
            var twice = HTTPFields()
            twice.append(HTTPField(name: name, value: "acme"))
            twice.append(HTTPField(name: name, value: "other"))
            let doubled = try await client.send(.get, "/api/quota/status/", headers: twice)
            #expect(doubled.status == .badRequest)
            #expect(doubled.errorCode == "invalid_argument")
        }
    }
}

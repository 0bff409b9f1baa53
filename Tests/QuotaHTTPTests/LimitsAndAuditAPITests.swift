import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct LimitsAndAuditAPITests {
    @Test func limitsCanBeSetListedReplacedAndDeleted() async throws {
        try await withAPI { client, _ in
            let set = try await client.send(
                .put,
                "/v1/tenants/acme/limits/storage_bytes",
                #"{"limit": 1000, "period": "month", "enforcement": "hard", "anchor": {"day": 31}, "time_zone": "Europe/Berlin", "audit": "aggregate"}"#
            )
            #expect(set.status == .ok)
            #expect((set.json["anchor"] as? [String: Any])?["day"] as? Int == 31)
            #expect(set.json["time_zone"] as? String == "Europe/Berlin")
            #expect(set.json["audit"] as? String == "aggregate")
            try await client.send(
                .put,
                "/v1/tenants/acme/limits/storage_bytes",
                #"{"limit": 5, "period": "month", "enforcement": "soft"}"#
            )
            let list = try await client.send(.get, "/v1/tenants/acme/limits")
            let limits = list.json["limits"] as? [[String: Any]] ?? []
            #expect(limits.count == 1)
            #expect(limits.first?["limit"] as? Int == 5)
            #expect(limits.first?["anchor"] is NSNull)
            let deleted = try await client.send(.delete, "/v1/tenants/acme/limits/storage_bytes")
            #expect(deleted.status == .noContent)
            let again = try await client.send(.delete, "/v1/tenants/acme/limits/storage_bytes")
            #expect(again.status == .notFound)
            #expect(again.errorCode == "quota_not_found")
        }
    }

    @Test func loweringALimitBelowUsageDeniesAndRaisingItAdmitsAtOnce() async throws {
        try await withAPI { client, _ in
            try await client.send(
                .put,
                "/v1/tenants/acme/limits/a",
                #"{"limit": 10, "period": "hour", "enforcement": "hard"}"#
            )
            try await client.send(.post, "/v1/tenants/acme/consume", #"{"metric": "a", "amount": 6}"#)
            try await client.send(
                .put,
                "/v1/tenants/acme/limits/a",
                #"{"limit": 5, "period": "hour", "enforcement": "hard"}"#
            )
            let denied = try await client.send(.post, "/v1/tenants/acme/consume", #"{"metric": "a", "amount": 1}"#)
            #expect(denied.status == .tooManyRequests)
            #expect(denied.firstResult["remaining"] as? Int == 0)
            try await client.send(
                .put,
                "/v1/tenants/acme/limits/a",
                #"{"limit": 8, "period": "hour", "enforcement": "hard"}"#
            )
            let admitted = try await client.send(.post, "/v1/tenants/acme/consume", #"{"metric": "a", "amount": 2}"#)
            #expect(admitted.status == .ok)
            #expect(admitted.firstResult["remaining"] as? Int == 0)
        }
    }

    @Test func eventsArePaginatedWithACursorAndCarryMetadata() async throws {
        try await withAPI { client, _ in
            for index in 0..<5 {
                try await client.send(
                    .post,
                    "/v1/tenants/acme/consume",
                    #"{"metric": "m", "amount": 1, "metadata": {"n": \#(index)}}"#
                )
            }
            let first = try await client.send(.get, "/v1/tenants/acme/events?limit=3")
            let page = first.json["events"] as? [[String: Any]] ?? []
            #expect(page.count == 3)
            #expect((page.first?["metadata"] as? [String: Any])?["n"] as? Int == 0)
            let cursor = try #require(first.json["next_cursor"] as? String)
            let second = try await client.send(.get, "/v1/tenants/acme/events?limit=3&cursor=\(cursor)")
            #expect((second.json["events"] as? [[String: Any]])?.count == 2)
            #expect(second.json["next_cursor"] is NSNull)
            let other = try await client.send(.get, "/v1/tenants/acme/events?metric=other")
            #expect((other.json["events"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test func recordsKeepPastPeriods() async throws {
        let clock = ManualClock()
        try await withAPI(clock: clock) { client, _ in
            try await client.send(
                .put,
                "/v1/tenants/acme/limits/m",
                #"{"limit": 10, "period": "minute", "enforcement": "hard"}"#
            )
            try await client.send(.post, "/v1/tenants/acme/consume", #"{"metric": "m", "amount": 4}"#)
            clock.advance(milliseconds: 60_000)
            try await client.send(.post, "/v1/tenants/acme/consume", #"{"metric": "m", "amount": 1}"#)
            let records = try await client.send(.get, "/v1/tenants/acme/records?metric=m")
            let usages = (records.json["records"] as? [[String: Any]] ?? []).map { $0["usage"] as? Int }
            #expect(usages == [1, 4])
        }
    }

    @Test func healthEndpointsAnswer() async throws {
        try await withAPI { client, _ in
            #expect(try await client.send(.get, "/health/live").status == .ok)
            let ready = try await client.send(.get, "/health/ready")
            #expect(ready.status == .ok)
            #expect(ready.json["status"] as? String == "ready")
        }
    }
}

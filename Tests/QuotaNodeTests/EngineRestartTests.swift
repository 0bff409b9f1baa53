import QuotaCore
import QuotaNode
import QuotaStorage
import Testing

@Suite struct EngineRestartTests {
    @Test func limitsUsageAndIdempotencyKeysSurviveARestart() async throws {
        let clock = ManualClock()
        let path = try temporaryDatabasePath()
        let first = try await makeEngine(store: try SQLiteQuotaStore(path: path), clock: clock)
        try await first.setLimit(
            Limit(
                tenant: TenantID("acme"),
                metric: MetricCode("api_calls"),
                value: 10,
                period: PeriodSpec(unit: .hour),
                enforcement: .hard
            )
        )
        let original = try await consume(first, "acme", "api_calls", 4, key: "k-1")
        #expect(await first.flush())

        let second = try await makeEngine(store: try SQLiteQuotaStore(path: path), clock: clock)
        #expect(try await second.limits(of: try TenantID("acme")).map(\.value) == [10])
        let replay = try await consume(second, "acme", "api_calls", 4, key: "k-1")
        #expect(replay.replayed)
        #expect(replay.eventID == original.eventID)
        #expect(try await usage(second, "acme", "api_calls") == 4)
        // Event ids stay unique across incarnations.
        let next = try await consume(second, "acme", "api_calls", 1)
        #expect(next.eventID != original.eventID)
        #expect(next.eventID?.hasPrefix("t1-2-") == true)
    }

    @Test func usageOfAnEndedPeriodIsNotCarriedIntoTheNextAfterARestart() async throws {
        let clock = ManualClock()
        let path = try temporaryDatabasePath()
        let first = try await makeEngine(store: try SQLiteQuotaStore(path: path), clock: clock)
        try await first.setLimit(
            Limit(
                tenant: TenantID("acme"),
                metric: MetricCode("m"),
                value: 10,
                period: PeriodSpec(unit: .minute),
                enforcement: .hard
            )
        )
        _ = try await consume(first, "acme", "m", 7)
        #expect(await first.flush())
        clock.advance(milliseconds: 60_000)
        let second = try await makeEngine(store: try SQLiteQuotaStore(path: path), clock: clock)
        #expect(try await usage(second, "acme", "m") == 0)
        let records = try await second.records(RecordQuery(tenant: TenantID("acme")))
        #expect(records.map(\.usage) == [7])
    }
}

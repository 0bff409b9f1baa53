import QuotaCore
import QuotaNode
import Testing

/// When SQLite writes fail the node reports not-ready, keeps retrying, serves from memory up to the
/// unflushed bound, then refuses consumes as unavailable — and loses nothing once storage heals.
@Suite struct StorageFailureTests {
    @Test func failingStorageMakesTheNodeNotReadyAndBoundsUnflushedState() async throws {
        let clock = ManualClock()
        let path = try temporaryDatabasePath()
        let store = try FailingStore(path: path)
        // Each consume of one full-audit metric adds a usage record and a usage event (2 entries).
        let engine = try await makeEngine(
            store: store,
            clock: clock,
            ledger: LedgerConfiguration(maximumUnflushedEntries: 10)
        )
        store.writesFail = true
        var acknowledged: Int64 = 0
        for _ in 0..<5 {
            _ = try await consume(engine, "acme", "api_calls", 1)
            acknowledged += 1
        }
        #expect(await engine.flush() == false)
        #expect(engine.isReady == false)
        // Five consumes hold 6 entries (one coalesced usage record, five events). A consume reserves 2 entries
        // (record and event; the reservation does not count on coalescing), so three more fit under the
        // bound of 10 and the ninth is refused.
        var refusal: QuotaError?
        for _ in 0..<20 {
            do {
                _ = try await consume(engine, "acme", "api_calls", 1)
                acknowledged += 1
            } catch let error as QuotaError {
                refusal = error
                break
            }
        }
        #expect(acknowledged == 8)
        #expect(refusal?.code == .unavailable)
        #expect(try await usage(engine, "acme", "api_calls") == acknowledged)
        let attemptsWhileFailing = store.persistAttempts
        #expect(await engine.flush() == false)
        #expect(store.persistAttempts > attemptsWhileFailing)

        store.writesFail = false
        #expect(await engine.flush() == true)
        #expect(engine.isReady)
        #expect(engine.unflushedCount == 0)
        _ = try await consume(engine, "acme", "api_calls", 1)
        acknowledged += 1
        #expect(await engine.flush() == true)

        let restarted = try await makeEngine(store: try FailingStore(path: path), clock: clock)
        #expect(try await usage(restarted, "acme", "api_calls") == acknowledged)
        let events = try await restarted.events(EventQuery(tenant: TenantID("acme"), limit: 1000))
        #expect(events.events.count == Int(acknowledged))
        #expect(Set(events.events.map(\.eventID)).count == Int(acknowledged))
    }

    @Test func checksAndStatusStillAnswerAtTheUnflushedBound() async throws {
        let clock = ManualClock()
        let store = try FailingStore(path: try temporaryDatabasePath())
        let engine = try await makeEngine(
            store: store,
            clock: clock,
            ledger: LedgerConfiguration(maximumUnflushedEntries: 2)
        )
        store.writesFail = true
        _ = try await consume(engine, "acme", "m", 1)
        let check = try await engine.check(
            UsageRequest(
                tenant: TenantID("acme"),
                items: [.init(metric: MetricCode("m"), amount: 0)],
                allowZeroAmounts: true
            )
        )
        #expect(check.allowed)
        #expect(try await usage(engine, "acme", "m") == 1)
    }
}

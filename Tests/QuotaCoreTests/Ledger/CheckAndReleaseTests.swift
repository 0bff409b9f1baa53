import Testing

@testable import QuotaCore

@Suite("Check")
struct CheckTests {
    /// The fields of a decision a check must share with the consume it predicts (a check has no event id).
    static func sameDecision(_ check: Decision, _ consume: Decision) -> Bool {
        check.allowed == consume.allowed && check.tenant == consume.tenant && check.results == consume.results
            && check.retryAfterMilliseconds == consume.retryAfterMilliseconds
    }

    @Test(
        "check gives the decision consume would give, and applies nothing",
        arguments: [Enforcement.hard, .soft, .none]
    )
    func checkPredictsConsume(enforcement: Enforcement) throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 10, enforcement), now: Fixture.t0)
        try ledger.setLimit(makeLimit(Fixture.acme, Fixture.products, value: 3, .hard), now: Fixture.t0)
        for (step, amount) in [Int64(4), 4, 4, 1, 2, 1].enumerated() {
            let now = at(Int64(step) * 1_000)
            let request = try usageRequest([(Fixture.calls, amount), (Fixture.products, 1)])
            let before = LedgerSnapshot(ledger)
            let check = try ledger.check(request, now: now)
            #expect(LedgerSnapshot(ledger) == before, "a check applies nothing")
            #expect(check.eventID == nil)
            let consume = try ledger.consume(request, now: now)
            #expect(Self.sameDecision(check, consume), "step \(step): \(check) vs \(consume)")
            #expect((consume.eventID != nil) == consume.allowed)
        }
    }

    @Test("a denied check equals the denied consume exactly")
    func deniedCheckEqualsDeniedConsume() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 2, .hard), now: Fixture.t0)
        _ = try ledger.consume(2, now: at(1))
        let request = try usageRequest([(Fixture.calls, 1)])
        let check = try ledger.check(request, now: at(10))
        let consume = try ledger.consume(request, now: at(10))
        #expect(check == consume)
        #expect(check.allowed == false)
        #expect(check.retryAfterMilliseconds == 59_990)
    }

    @Test("amount 0 is a peek: accepted by check, refused by consume")
    func zeroAmountPeek() throws {
        var ledger = makeLedger()
        try ledger.setLimit(makeLimit(value: 10, .hard), now: Fixture.t0)
        _ = try ledger.consume(10, now: at(1))
        let before = LedgerSnapshot(ledger)
        let peek = try ledger.check(try usageRequest([(Fixture.calls, 0)], allowZeroAmounts: true), now: at(2))
        #expect(peek.allowed, "usage at the limit plus 0 does not pass it")
        #expect(peek.results[0].usage == 10)
        #expect(peek.results[0].remaining == 0)
        #expect(peek.results[0].exceeded == false)
        #expect(LedgerSnapshot(ledger) == before)
        expectQuotaError(.invalidArgument) { try usageRequest([(Fixture.calls, 0)]) }
    }

    @Test("check ignores the idempotency key: no replay, no conflict, nothing recorded")
    func checkIgnoresIdempotency() throws {
        var ledger = makeLedger()
        let key = try idempotencyKey("order-1")
        let applied = try ledger.consume(3, key: key, now: at(1))
        #expect(applied.allowed)
        let before = LedgerSnapshot(ledger)
        // Same key, same items: a consume would replay; a check evaluates afresh.
        let same = try ledger.check(try usageRequest([(Fixture.calls, 3)], key: key), now: at(2))
        #expect(same.replayed == false)
        #expect(same.results[0].usage == 6)
        // Same key, other items: a consume would conflict; a check does not.
        let other = try ledger.check(try usageRequest([(Fixture.products, 1)], key: key), now: at(3))
        #expect(other.replayed == false)
        // A new key is not recorded by a check.
        let fresh = try idempotencyKey("order-2")
        _ = try ledger.check(try usageRequest([(Fixture.calls, 1)], key: fresh), now: at(4))
        #expect(LedgerSnapshot(ledger) == before)
        let consumed = try ledger.consume(1, key: fresh, now: at(5))
        #expect(consumed.replayed == false)
        #expect(consumed.results[0].usage == 4)
    }
}

@Suite("Release")
struct ReleaseTests {
    @Test("release never takes usage below zero; each event has the amount actually released")
    func releaseClampsAtZero() throws {
        var ledger = makeLedger()
        _ = try ledger.consume(Fixture.acme, Fixture.products, 5, now: at(1))
        ledger.flushAll()

        let partial = try ledger.release(Fixture.acme, Fixture.products, 3, now: at(2))
        #expect(partial.allowed)
        #expect(partial.results[0].usage == 2)
        #expect(partial.eventID != nil)
        let excess = try ledger.release(Fixture.acme, Fixture.products, 10, now: at(3))
        #expect(excess.results[0].usage == 0)
        let empty = try ledger.release(Fixture.acme, Fixture.products, 1, now: at(4))
        #expect(empty.results[0].usage == 0)
        #expect(ledger.usage(Fixture.acme, Fixture.products, now: at(5)) == 0)

        let batch = ledger.flushAll()
        #expect(batch.events.map(\.amount) == [-3, -2, 0])
        #expect(batch.events.map(\.eventID) == [partial.eventID, excess.eventID, empty.eventID].compactMap { $0 })
        #expect(batch.records.count == 1)
        #expect(batch.records.first?.usage == 0)
    }

    @Test("a release makes room under a hard limit")
    func releaseFreesHardLimit() throws {
        var ledger = makeLedger()
        try ledger.setLimit(
            makeLimit(Fixture.acme, Fixture.products, value: 3, .hard, period: try PeriodSpec(unit: .month)),
            now: Fixture.t0
        )
        _ = try ledger.consume(Fixture.acme, Fixture.products, 3, now: at(1))
        #expect(try ledger.consume(Fixture.acme, Fixture.products, 1, now: at(2)).allowed == false)
        let released = try ledger.release(Fixture.acme, Fixture.products, 2, now: at(3))
        #expect(released.results[0].usage == 1)
        #expect(released.results[0].remaining == 2)
        #expect(released.retryAfterMilliseconds == nil)
        #expect(try ledger.consume(Fixture.acme, Fixture.products, 2, now: at(4)).allowed)
    }

    @Test("a multi-item release clamps each item on its own")
    func multiItemRelease() throws {
        var ledger = makeLedger()
        _ = try ledger.consume(try usageRequest([(Fixture.products, 4), (Fixture.bytes, 100)]), now: at(1))
        ledger.flushAll()
        let released = try ledger.release(try usageRequest([(Fixture.products, 9), (Fixture.bytes, 40)]), now: at(2))
        #expect(released.results.map(\.usage) == [0, 60])
        let events = ledger.flushAll().events
        #expect(events.map(\.amount) == [-4, -40])
        #expect(Set(events.map(\.eventID)).count == 1)
    }

    @Test("a release with a key is applied once; the key cannot be reused for a consume")
    func idempotentRelease() throws {
        var ledger = makeLedger()
        _ = try ledger.consume(Fixture.acme, Fixture.products, 5, now: at(1))
        let key = try idempotencyKey("delete-42")
        let first = try ledger.release(Fixture.acme, Fixture.products, 1, key: key, now: at(2))
        let again = try ledger.release(Fixture.acme, Fixture.products, 1, key: key, now: at(3))
        #expect(again.replayed)
        #expect(again.eventID == first.eventID)
        #expect(ledger.usage(Fixture.acme, Fixture.products, now: at(4)) == 4)
        expectRefusal(.idempotencyConflict, &ledger) { ledger in
            _ = try ledger.consume(Fixture.acme, Fixture.products, 1, key: key, now: at(5))
        }
    }
}

import Testing

@testable import QuotaCore

/// Bad input gets a clear error and changes nothing. Each test builds the request inside the refused
/// operation, as an API handler does, and compares the whole ledger before and after.
@Suite("Bad input")
struct BadInputTests {
    /// A ledger with a limit, some usage, a key and pending write-behind entries, so "nothing changed" means something.
    static func busyLedger(_ configuration: LedgerConfiguration = LedgerConfiguration()) throws -> QuotaLedger {
        var ledger = makeLedger(configuration)
        try ledger.setLimit(makeLimit(value: 100, .hard), now: Fixture.t0)
        _ = try ledger.consume(10, key: try idempotencyKey("seed"), now: at(1))
        _ = try ledger.consume(Fixture.acme, Fixture.products, 3, now: at(1))
        return ledger
    }

    static let controlCharacters = ["\u{0}", "a\nb", "tab\there", "\u{1F}x", "x\u{7F}", "\u{85}", "end\u{9F}", "\r"]

    /// 43 × "€" (3 bytes each): 43 characters, 129 bytes.
    static let euro129 = String(repeating: "€", count: 43)
    /// 42 × "€" + "ab": 128 bytes.
    static let bytes128 = String(repeating: "€", count: 42) + "ab"

    @Test("an empty tenant id is refused")
    func emptyTenantID() throws {
        var ledger = try Self.busyLedger()
        expectRefusal(.invalidArgument, &ledger) { ledger in
            _ = try ledger.consume(try tenantID(""), Fixture.calls, 1, now: at(2))
        }
    }

    @Test("a tenant id of 129 bytes (43 three-byte characters) is refused")
    func longTenantID() throws {
        #expect(Self.euro129.count == 43)
        #expect(Self.euro129.utf8.count == 129)
        var ledger = try Self.busyLedger()
        expectRefusal(.invalidArgument, &ledger) { ledger in
            _ = try ledger.consume(try tenantID(Self.euro129), Fixture.calls, 1, now: at(2))
        }
    }

    @Test("a tenant id with a control character is refused", arguments: controlCharacters)
    func controlCharacterTenantID(raw: String) throws {
        var ledger = try Self.busyLedger()
        expectRefusal(.invalidArgument, &ledger) { ledger in
            _ = try ledger.consume(try tenantID(raw), Fixture.calls, 1, now: at(2))
        }
    }

    @Test("an empty metric code is refused")
    func emptyMetricCode() throws {
        var ledger = try Self.busyLedger()
        expectRefusal(.invalidArgument, &ledger) { ledger in
            _ = try ledger.consume(Fixture.acme, try metricCode(""), 1, now: at(2))
        }
    }

    @Test("a metric code of 129 bytes is refused")
    func longMetricCode() throws {
        var ledger = try Self.busyLedger()
        expectRefusal(.invalidArgument, &ledger) { ledger in
            _ = try ledger.consume(Fixture.acme, try metricCode(Self.euro129), 1, now: at(2))
        }
        expectRefusal(.invalidArgument, &ledger) { ledger in
            _ = try ledger.consume(Fixture.acme, try metricCode(String(repeating: "m", count: 129)), 1, now: at(2))
        }
    }

    @Test("a metric code with a control character is refused", arguments: controlCharacters)
    func controlCharacterMetricCode(raw: String) throws {
        var ledger = try Self.busyLedger()
        expectRefusal(.invalidArgument, &ledger) { ledger in
            _ = try ledger.consume(Fixture.acme, try metricCode(raw), 1, now: at(2))
        }
    }

    @Test("a tenant id and a metric code of exactly 128 bytes are accepted")
    func exactly128Bytes() throws {
        #expect(Self.bytes128.utf8.count == 128)
        var ledger = try Self.busyLedger()
        let tenant = try tenantID(Self.bytes128)
        let metric = try metricCode(Self.bytes128)
        #expect(tenant.rawValue == Self.bytes128)
        let decision = try ledger.consume(tenant, metric, 1, now: at(2))
        #expect(decision.allowed)
        #expect(decision.tenant == Self.bytes128)
        #expect(decision.results[0].metric == Self.bytes128)
    }

    @Test("a zero amount in a consume is refused")
    func zeroAmount() throws {
        var ledger = try Self.busyLedger()
        expectRefusal(.invalidArgument, &ledger) { ledger in _ = try ledger.consume(0, now: at(2)) }
        expectRefusal(.invalidArgument, &ledger) { ledger in _ = try ledger.release(0, now: at(2)) }
        expectRefusal(.invalidArgument, &ledger) { ledger in
            _ = try ledger.consume(try usageRequest([(Fixture.calls, 1), (Fixture.products, 0)]), now: at(2))
        }
    }

    @Test("a negative amount is refused", arguments: [Int64(-1), -100, Int64.min])
    func negativeAmount(amount: Int64) throws {
        var ledger = try Self.busyLedger()
        expectRefusal(.invalidArgument, &ledger) { ledger in _ = try ledger.consume(amount, now: at(2)) }
        expectRefusal(.invalidArgument, &ledger) { ledger in _ = try ledger.release(amount, now: at(2)) }
        expectRefusal(.invalidArgument, &ledger) { ledger in _ = try ledger.check(amount, now: at(2)) }
    }

    @Test("usage plus amount overflowing Int64 is refused")
    func overflow() throws {
        var ledger = try Self.busyLedger()
        #expect(try ledger.consume(Fixture.acme, Fixture.exports, Int64.max - 1, now: at(2)).allowed)
        expectRefusal(.invalidArgument, &ledger) { ledger in
            _ = try ledger.consume(Fixture.acme, Fixture.exports, 2, now: at(3))
        }
        expectRefusal(.invalidArgument, &ledger) { ledger in
            _ = try ledger.check(Fixture.acme, Fixture.exports, Int64.max, now: at(3))
        }
        // Even a hard item that would be denied is refused as overflow, and other items are untouched.
        expectRefusal(.invalidArgument, &ledger) { ledger in
            _ = try ledger.consume(try usageRequest([(Fixture.calls, 1), (Fixture.exports, Int64.max)]), now: at(3))
        }
        expectRefusal(.invalidArgument, &ledger) { ledger in _ = try ledger.consume(Int64.max, now: at(3)) }
        // Exactly Int64.max fits.
        #expect(try ledger.consume(Fixture.acme, Fixture.exports, 1, now: at(4)).results[0].usage == Int64.max)
    }

    @Test("a metric twice in one request is refused")
    func duplicateMetric() throws {
        var ledger = try Self.busyLedger()
        expectRefusal(.invalidArgument, &ledger) { ledger in
            _ = try ledger.consume(
                try usageRequest([(Fixture.calls, 1), (Fixture.products, 1), (Fixture.calls, 2)]),
                now: at(2)
            )
        }
        expectRefusal(.invalidArgument, &ledger) { ledger in
            _ = try ledger.check(
                try usageRequest([(Fixture.calls, 0), (Fixture.calls, 0)], allowZeroAmounts: true),
                now: at(2)
            )
        }
    }

    @Test("more than 64 items are refused; 64 are accepted")
    func tooManyItems() throws {
        var ledger = try Self.busyLedger()
        let metrics = try (0..<65).map { try metricCode("metric_\($0)") }
        expectRefusal(.invalidArgument, &ledger) { ledger in
            _ = try ledger.consume(try usageRequest(metrics.map { ($0, 1) }), now: at(2))
        }
        expectRefusal(.invalidArgument, &ledger) { ledger in _ = try ledger.consume(try usageRequest([]), now: at(2)) }
        let decision = try ledger.consume(try usageRequest(metrics.prefix(64).map { ($0, 1) }), now: at(3))
        #expect(decision.allowed)
        #expect(decision.results.count == 64)
    }

    @Test("metadata over 4096 bytes is payload_too_large; 4096 bytes are accepted")
    func oversizedMetadata() throws {
        var ledger = try Self.busyLedger()
        let padding = String(repeating: "x", count: 4096 - #"{"a":""}"#.utf8.count)
        let exact = #"{"a":"\#(padding)"}"#
        #expect(exact.utf8.count == 4096)
        expectRefusal(.payloadTooLarge, &ledger) { ledger in
            _ = try ledger.consume(try usageRequest([(Fixture.calls, 1)], metadata: exact + " "), now: at(2))
        }
        // Bytes count, not characters: 1,366 "€" are 4,098 bytes.
        let euros = #"{"a":"\#(String(repeating: "€", count: 1_366))"}"#
        expectRefusal(.payloadTooLarge, &ledger) { ledger in
            _ = try ledger.consume(try usageRequest([(Fixture.calls, 1)], metadata: euros), now: at(2))
        }
        let decision = try ledger.consume(try usageRequest([(Fixture.calls, 1)], metadata: exact), now: at(3))
        #expect(decision.allowed)
        #expect(ledger.flushAll().events.last?.metadata == exact)
    }

    @Test("a negative limit value is refused and the existing limit stays")
    func negativeLimit() throws {
        var ledger = try Self.busyLedger()
        expectRefusal(.invalidArgument, &ledger) { ledger in
            try ledger.setLimit(try makeLimit(value: -5, .hard), now: at(2))
        }
        #expect(ledger.limit(tenant: Fixture.acme, metric: Fixture.calls)?.value == 100)
    }

    @Test("an unknown enforcement, audit level or period name is refused")
    func unknownNames() throws {
        expectQuotaError(.invalidArgument) { try Enforcement(parsing: "HARD") }
        expectQuotaError(.invalidArgument) { try Enforcement(parsing: "") }
        expectQuotaError(.invalidArgument) { try AuditLevel(parsing: "sampled") }
        #expect(try Enforcement(parsing: "soft") == .soft)
        #expect(try AuditLevel(parsing: "aggregate") == .aggregate)
    }

    @Test("at the unflushed bound consumes, releases and limit changes are unavailable until a flush succeeds")
    func unflushedBound() throws {
        var ledger = makeLedger(LedgerConfiguration(maximumUnflushedEntries: 5))
        try ledger.setLimit(makeLimit(value: 10, .hard), now: Fixture.t0)
        // Each single-item consume needs 2 entries (record + event); the record is shared within the period.
        _ = try ledger.consume(1, now: at(1))
        _ = try ledger.consume(1, now: at(2))
        #expect(ledger.writeBehind.unflushedCount == 4)
        expectRefusal(.unavailable, &ledger) { ledger in _ = try ledger.consume(1, now: at(3)) }
        expectRefusal(.unavailable, &ledger) { ledger in _ = try ledger.release(1, now: at(3)) }
        expectRefusal(.unavailable, &ledger) { ledger in
            _ = try ledger.consume(try usageRequest([(Fixture.products, 1), (Fixture.bytes, 1)]), now: at(3))
        }
        // A check needs no room.
        #expect(try ledger.check(1, now: at(3)).allowed)
        // A limit change fits (4 + 1 ≤ 5); after it, nothing does.
        try ledger.setLimit(makeLimit(Fixture.acme, Fixture.products, value: 10, .hard), now: at(3))
        expectRefusal(.unavailable, &ledger) { ledger in
            try ledger.setLimit(try makeLimit(value: 11, .hard), now: at(4))
        }
        expectRefusal(.unavailable, &ledger) { ledger in
            try ledger.removeLimit(tenant: Fixture.acme, metric: Fixture.calls, now: at(4))
        }

        // In flight still counts; a failed flush keeps it counted.
        let batch = try #require(ledger.takeFlushBatch() as FlushBatch?)
        #expect(batch.entryCount == 5)
        expectRefusal(.unavailable, &ledger) { ledger in _ = try ledger.consume(1, now: at(5)) }
        ledger.flushFailed()
        expectRefusal(.unavailable, &ledger) { ledger in _ = try ledger.consume(1, now: at(5)) }

        // A successful flush makes room again.
        _ = try #require(ledger.takeFlushBatch() as FlushBatch?)
        ledger.flushSucceeded()
        #expect(ledger.writeBehind.unflushedCount == 0)
        let decision = try ledger.consume(1, now: at(6))
        #expect(decision.allowed)
        #expect(decision.results[0].usage == 3)
    }
}

import Foundation
import GRDB
import QuotaCore
import QuotaStorage
import Testing

@Suite("SQLite quota store: tenant resets")
struct TenantResetTests {
    typealias F = StoreFixture

    /// The period before t0, the one at t0, and the one after (minutes).
    static let previous = F.at(-60_000)
    static let next = F.at(60_000)

    static func limit(_ tenant: TenantID, _ metric: MetricCode, value: Int64 = 10) throws -> Limit {
        try Limit(tenant: tenant, metric: metric, value: value, period: PeriodSpec(unit: .minute), enforcement: .hard)
    }

    static func key(_ tenant: TenantID, _ key: String, at createdAt: Timestamp = F.t0) throws -> IdempotencyEntry {
        IdempotencyEntry(
            tenant: tenant,
            key: try IdempotencyKey(key),
            fingerprint: 1,
            decision: F.decision(),
            createdAt: createdAt
        )
    }

    /// acme and globex, each with limits, keys, records and events of api_calls (previous, current and next
    /// minute) and products (previous and current minute). Event sequences:
    /// acme api_calls 1 (previous), 2 and 3 (current), 4 (next); acme products 5 (previous), 6 (current);
    /// globex api_calls 7 (previous), 8 (current), 9 (next); globex products 10 (current).
    static func seed(_ store: SQLiteQuotaStore) async throws {
        var batch = FlushBatch()
        var sequence: Int64 = 0
        for tenant in [F.acme, F.globex] {
            batch.limitChanges += [.set(try Self.limit(tenant, F.calls)), .set(try Self.limit(tenant, F.products))]
            batch.idempotency += [try Self.key(tenant, "k1"), try Self.key(tenant, "k2")]
            let calls = [Self.previous, F.t0, Self.next]
            let products = [Self.previous, F.t0]
            batch.records += calls.map { F.record(tenant: tenant, metric: F.calls, start: $0, usage: 5) }
            batch.records += products.map { F.record(tenant: tenant, metric: F.products, start: $0, usage: 5) }
            let eventPeriods =
                tenant == F.acme
                ? [(F.calls, Self.previous), (F.calls, F.t0), (F.calls, F.t0), (F.calls, Self.next)]
                    + [(F.products, Self.previous), (F.products, F.t0)]
                : [(F.calls, Self.previous), (F.calls, F.t0), (F.calls, Self.next), (F.products, F.t0)]
            for (metric, start) in eventPeriods {
                sequence += 1
                batch.events.append(try F.event(sequence, tenant: tenant, metric: metric, periodStart: start))
            }
        }
        try await store.persist(batch)
    }

    /// Every stored row of the four tables, as "tenant/metric@minute" (minutes relative to t0), sorted.
    struct Contents: Equatable, CustomStringConvertible {
        var limits: [String]
        var keys: [String]
        var records: [String]
        var events: [String]

        init(_ path: String) throws {
            func minute(_ row: Row) -> String {
                let start: Int64 = row["period_start"]
                return String((start - F.t0.millisecondsSinceEpoch) / 60_000)
            }
            self.limits = try rawRows(path, "SELECT * FROM limits ORDER BY tenant_id, metric_code").map {
                "\($0["tenant_id"] as String)/\($0["metric_code"] as String)"
            }
            self.keys = try rawRows(path, "SELECT * FROM idempotency_keys ORDER BY tenant_id, idempotency_key").map {
                "\($0["tenant_id"] as String)/\($0["idempotency_key"] as String)"
            }
            self.records = try rawRows(
                path,
                "SELECT * FROM usage_records ORDER BY tenant_id, metric_code, period_start"
            )
            .map { "\($0["tenant_id"] as String)/\($0["metric_code"] as String)@\(minute($0))" }
            self.events = try rawRows(path, "SELECT * FROM usage_events ORDER BY sequence").map {
                "\($0["sequence"] as Int64):\($0["tenant_id"] as String)/\($0["metric_code"] as String)@\(minute($0))"
            }
        }

        var description: String { "limits \(limits), keys \(keys), records \(records), events \(events)" }
    }

    @Test("the seed holds what the other tests expect")
    func seedContents() async throws {
        try await withTemporaryDatabase { path in
            try await Self.seed(try SQLiteQuotaStore(path: path))
            let contents = try Contents(path)
            #expect(
                contents.limits == ["acme/api_calls", "acme/products", "globex/api_calls", "globex/products"]
            )
            #expect(contents.keys == ["acme/k1", "acme/k2", "globex/k1", "globex/k2"])
            #expect(contents.records.count == 10)
            #expect(
                contents.events == [
                    "1:acme/api_calls@-1", "2:acme/api_calls@0", "3:acme/api_calls@0", "4:acme/api_calls@1",
                    "5:acme/products@-1", "6:acme/products@0", "7:globex/api_calls@-1", "8:globex/api_calls@0",
                    "9:globex/api_calls@1", "10:globex/products@0",
                ]
            )
        }
    }

    @Test(
        "a reset deletes the tenant's limits and keys, and its records and events of the listed metrics from the period start on"
    )
    func resetDeletesExactlyItsRows() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            try await Self.seed(store)
            var batch = FlushBatch()
            batch.resets = [TenantReset(tenant: F.acme, periods: [.init(metric: F.calls, periodStart: F.t0)])]
            try await store.persist(batch)

            let contents = try Contents(path)
            #expect(
                contents.limits == ["globex/api_calls", "globex/products"],
                "every limit of acme, whatever the metric"
            )
            #expect(contents.keys == ["globex/k1", "globex/k2"])
            #expect(
                contents.records == [
                    "acme/api_calls@-1",  // earlier period: history stays
                    "acme/products@-1", "acme/products@0",  // metric not listed
                    "globex/api_calls@-1", "globex/api_calls@0", "globex/api_calls@1",  // other tenant
                    "globex/products@-1", "globex/products@0",
                ]
            )
            #expect(
                contents.events == [
                    "1:acme/api_calls@-1", "5:acme/products@-1", "6:acme/products@0", "7:globex/api_calls@-1",
                    "8:globex/api_calls@0", "9:globex/api_calls@1", "10:globex/products@0",
                ],
                "the period start is inclusive: events 2 and 3 (at it) and 4 (after it) are gone"
            )
        }
    }

    @Test("a reset lists several metrics, each from its own period start; several resets apply in one batch")
    func severalMetricsAndResets() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            try await Self.seed(store)
            var batch = FlushBatch()
            batch.resets = [
                TenantReset(
                    tenant: F.acme,
                    periods: [
                        .init(metric: F.calls, periodStart: Self.next),
                        .init(metric: F.products, periodStart: Self.previous),
                    ]
                ),
                // Only limits and keys: a reset without periods keeps every record and event.
                TenantReset(tenant: F.globex, periods: []),
                // A tenant with nothing stored: nothing to delete, no error.
                TenantReset(tenant: try TenantID("initech"), periods: [.init(metric: F.calls, periodStart: F.t0)]),
            ]
            try await store.persist(batch)

            let contents = try Contents(path)
            #expect(contents.limits.isEmpty)
            #expect(contents.keys.isEmpty)
            #expect(
                contents.records == [
                    "acme/api_calls@-1", "acme/api_calls@0",
                    "globex/api_calls@-1", "globex/api_calls@0", "globex/api_calls@1",
                    "globex/products@-1", "globex/products@0",
                ]
            )
            #expect(
                contents.events == [
                    "1:acme/api_calls@-1", "2:acme/api_calls@0", "3:acme/api_calls@0", "7:globex/api_calls@-1",
                    "8:globex/api_calls@0", "9:globex/api_calls@1", "10:globex/products@0",
                ]
            )
        }
    }

    @Test("resets apply before the rest of the batch: the state that replaced the deleted rows is kept")
    func resetsApplyFirst() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            try await Self.seed(store)
            // The snapshot's state of acme comes in the same batch as the reset, listed after it.
            var batch = FlushBatch()
            batch.resets = [TenantReset(tenant: F.acme, periods: [.init(metric: F.calls, periodStart: F.t0)])]
            let replacement = try Self.limit(F.acme, F.calls, value: 99)
            batch.limitChanges = [.set(replacement)]
            batch.records = [F.record(tenant: F.acme, metric: F.calls, start: F.t0, usage: 7)]
            batch.events = [try F.event(11, tenant: F.acme, metric: F.calls, amount: 7)]
            batch.idempotency = [try Self.key(F.acme, "k9")]
            try await store.persist(batch)

            let contents = try Contents(path)
            #expect(contents.limits == ["acme/api_calls", "globex/api_calls", "globex/products"])
            #expect(contents.keys == ["acme/k9", "globex/k1", "globex/k2"])
            #expect(
                contents.records.filter { $0.hasPrefix("acme/api_calls") } == ["acme/api_calls@-1", "acme/api_calls@0"]
            )
            #expect(
                contents.events.filter { $0.contains("acme/api_calls") } == [
                    "1:acme/api_calls@-1", "11:acme/api_calls@0",
                ]
            )

            let state = try await store.recover(now: F.t0, idempotencySince: F.at(-1))
            #expect(state.limits.first { $0.tenant == F.acme } == replacement)
            #expect(state.records.first { $0.tenant == F.acme && $0.metric == F.calls }?.usage == 7)
        }
    }

    @Test("deleting the highest events does not lower nextEventSequence, across reopening the file too")
    func sequencesAreNotReused() async throws {
        try await withTemporaryDatabase { path in
            do {
                let store = try SQLiteQuotaStore(path: path)
                try await Self.seed(store)
                #expect(try await store.recover(now: F.t0, idempotencySince: F.t0).nextEventSequence == 11)
                // Deletes events 7…10, the highest.
                var batch = FlushBatch()
                batch.resets = [
                    TenantReset(
                        tenant: F.globex,
                        periods: [
                            .init(metric: F.calls, periodStart: Self.previous),
                            .init(metric: F.products, periodStart: Self.previous),
                        ]
                    )
                ]
                try await store.persist(batch)
                #expect(try Contents(path).events.last == "6:acme/products@0")
                #expect(try await store.recover(now: F.t0, idempotencySince: F.t0).nextEventSequence == 11)
                // A later reset that deletes lower events keeps the highest remembered.
                batch.resets = [TenantReset(tenant: F.acme, periods: [.init(metric: F.products, periodStart: F.t0)])]
                try await store.persist(batch)
                #expect(try await store.recover(now: F.t0, idempotencySince: F.t0).nextEventSequence == 11)
            }
            let reopened = try SQLiteQuotaStore(path: path)
            #expect(try await reopened.recover(now: F.t0, idempotencySince: F.t0).nextEventSequence == 11)
            var later = FlushBatch()
            later.events = [try F.event(11), try F.event(12)]
            try await reopened.persist(later)
            #expect(try await reopened.recover(now: F.t0, idempotencySince: F.t0).nextEventSequence == 13)
        }
    }

    @Test("a batch that fails after its resets leaves every row in place: the reset is atomic with the batch")
    func resetIsAtomicWithTheBatch() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            try await Self.seed(store)
            let before = try Contents(path)
            var batch = FlushBatch()
            batch.resets = [
                TenantReset(tenant: F.acme, periods: [.init(metric: F.calls, periodStart: Self.previous)]),
                TenantReset(tenant: F.globex, periods: [.init(metric: F.products, periodStart: Self.previous)]),
            ]
            batch.events = [try F.event(11, tenant: F.acme)]
            // Breaks the schema's CHECK (current_usage >= 0) after the resets ran inside the transaction.
            batch.records = [F.record(tenant: F.acme, start: F.t0, usage: -1)]
            await #expect(throws: (any Error).self) { try await store.persist(batch) }
            #expect(try Contents(path) == before)

            batch.records = [F.record(tenant: F.acme, start: F.t0, usage: 1)]
            try await store.persist(batch)
            let after = try Contents(path)
            #expect(after != before)
            #expect(after.limits.isEmpty)
            #expect(after.events.filter { $0.contains("acme/api_calls") } == ["11:acme/api_calls@0"])
        }
    }
}

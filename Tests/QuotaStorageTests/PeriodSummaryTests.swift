import Foundation
import QuotaCore
import QuotaStorage
import Testing

@Suite("SQLite quota store: period summaries")
struct PeriodSummaryTests {
    typealias F = StoreFixture

    static let next = F.at(60_000)

    /// - acme api_calls, t0: record 6; events n1-1-1 (2) and n1-1-2 (4).
    /// - acme api_calls, next minute: record 3, no events.
    /// - acme products, t0: no record; events n1-1-3 (5) and n1-1-4 (-2).
    /// - acme storage_bytes, t0: record 10, but only event n1-1-5 (4): a disagreement.
    /// - globex api_calls, t0: record 1; event n1-1-6 (1).
    static func seed(_ store: SQLiteQuotaStore) async throws {
        var batch = FlushBatch()
        batch.records = [
            F.record(metric: F.calls, start: F.t0, usage: 6),
            F.record(metric: F.calls, start: Self.next, usage: 3),
            F.record(metric: F.bytes, start: F.t0, usage: 10),
            F.record(tenant: F.globex, metric: F.calls, start: F.t0, usage: 1),
        ]
        batch.events = [
            try F.event(1, metric: F.calls, amount: 2),
            try F.event(2, metric: F.calls, amount: 4),
            try F.event(3, metric: F.products, amount: 5),
            try F.event(4, metric: F.products, amount: -2),
            try F.event(5, metric: F.bytes, amount: 4),
            try F.event(6, tenant: F.globex, metric: F.calls, amount: 1),
        ]
        try await store.persist(batch)
    }

    static func summary(
        _ metric: MetricCode,
        _ start: Timestamp = F.t0,
        tenant: TenantID = F.acme,
        record: Int64?,
        sum: Int64,
        count: Int,
        ids: [String]
    ) -> StoredPeriodSummary {
        StoredPeriodSummary(
            tenant: tenant,
            metric: metric,
            periodStart: start,
            recordUsage: record,
            eventSum: sum,
            eventCount: count,
            eventDigest: ids.reduce(0) { $0 &+ FNV1a64.hash($1.utf8) }
        )
    }

    @Test("one summary per period with a record or events: record usage, event sum, count and digest")
    func summariesOfEveryTenant() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            try await Self.seed(store)
            let summaries = try await store.periodSummaries(tenant: nil)
            #expect(
                summaries == [
                    Self.summary(F.calls, record: 6, sum: 6, count: 2, ids: ["n1-1-1", "n1-1-2"]),
                    Self.summary(F.calls, Self.next, record: 3, sum: 0, count: 0, ids: []),
                    Self.summary(F.products, record: nil, sum: 3, count: 2, ids: ["n1-1-3", "n1-1-4"]),
                    Self.summary(F.bytes, record: 10, sum: 4, count: 1, ids: ["n1-1-5"]),
                    Self.summary(F.calls, tenant: F.globex, record: 1, sum: 1, count: 1, ids: ["n1-1-6"]),
                ]
            )
            let disagreements = summaries.filter { $0.recordUsage != $0.eventSum }
            #expect(disagreements.map(\.metric) == [F.calls, F.products, F.bytes])
            #expect(disagreements.map(\.periodStart) == [Self.next, F.t0, F.t0])
        }
    }

    @Test("the digest is the wrapping sum of FNV-1a 64 of the event ids' UTF-8 bytes")
    func digestValues() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            try await Self.seed(store)
            let summaries = try await store.periodSummaries(tenant: F.acme)
            // Computed outside Swift: FNV-1a 64 of "n1-1-1" is 0x9f1d70ddb620ee94; with "n1-1-2" the sum overflows
            // 64 bits (0x1_3e3ae4bb6c41e241) and wraps.
            #expect(summaries.first?.eventDigest == 0x3e3a_e4bb_6c41_e241)
            #expect(StoredPeriodSummary.eventIDDigest("n1-1-1") == 0x9f1d_70dd_b620_ee94)
            #expect(StoredPeriodSummary.eventDigest(of: ["n1-1-2", "n1-1-1"]) == 0x3e3a_e4bb_6c41_e241)
            #expect(summaries.first { $0.metric == F.products }?.eventDigest == 0x3e3a_e0bb_6c41_db75)
            #expect(summaries.first { $0.periodStart == Self.next }?.eventDigest == 0, "no events: 0")
        }
    }

    @Test("tenant filter: only that tenant's periods; an unknown tenant has none")
    func tenantFilter() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            try await Self.seed(store)
            let all = try await store.periodSummaries(tenant: nil)
            let acme = try await store.periodSummaries(tenant: F.acme)
            let globex = try await store.periodSummaries(tenant: F.globex)
            #expect(acme.count == 4)
            #expect(acme.allSatisfy { $0.tenant == F.acme })
            #expect(globex == [Self.summary(F.calls, tenant: F.globex, record: 1, sum: 1, count: 1, ids: ["n1-1-6"])])
            #expect(acme + globex == all)
            #expect(try await store.periodSummaries(tenant: TenantID("initech")).isEmpty)
            #expect(try await SQLiteQuotaStore(path: path + "-empty").periodSummaries(tenant: nil).isEmpty)
        }
    }

    @Test("replicas with the same events in another order and with other sequences report the same summaries")
    func independentOfSequences() async throws {
        try await withTemporaryDatabase { path in
            let owner = try SQLiteQuotaStore(path: path)
            try await Self.seed(owner)
            let replica = try SQLiteQuotaStore(path: path + "-replica")
            let events =
                try await owner.events(EventQuery(tenant: F.acme)).events
                + owner.events(EventQuery(tenant: F.globex)).events
            var batch = FlushBatch()
            batch.records =
                try await owner.records(RecordQuery(tenant: F.acme))
                + owner.records(RecordQuery(tenant: F.globex))
            batch.events = events.reversed().enumerated().map { offset, event in
                UsageEvent(
                    eventID: event.eventID,
                    sequence: 100 + Int64(offset),
                    tenant: event.tenant,
                    metric: event.metric,
                    amount: event.amount,
                    periodStart: event.periodStart,
                    idempotencyKey: event.idempotencyKey,
                    metadata: event.metadata,
                    createdAt: event.createdAt.adding(milliseconds: 7)
                )
            }
            try await replica.persist(batch)
            let expected = try await owner.periodSummaries(tenant: nil)
            #expect(try await replica.periodSummaries(tenant: nil) == expected)

            // One event stored under another id: same sum and count, another digest.
            var other = FlushBatch()
            other.events = [try F.event(200, metric: F.bytes, amount: 0)]
            try await replica.persist(other)
            let changed = try await replica.periodSummaries(tenant: F.acme).first { $0.metric == F.bytes }
            #expect(changed?.eventCount == 2)
            #expect(changed?.eventSum == 4)
            #expect(changed?.eventDigest != expected.first { $0.metric == F.bytes }?.eventDigest)
        }
    }

    @Test("ordered by the bytes of tenant and metric, then period start, not by Swift's String order")
    func byteOrder() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            // "e" + U+0301 (bytes 65 CC 81) sorts before "é" (C3 A9) by bytes, but after "éa" for Swift's
            // String comparison, which compares canonically equivalent characters.
            let decomposed = try TenantID("e\u{301}x")
            let composed = try TenantID("\u{e9}a")
            let upper = try TenantID("Zeta")
            #expect(composed.rawValue < decomposed.rawValue, "Swift's order differs from the bytes' order")
            let lower = try MetricCode("a")
            let capital = try MetricCode("B")
            var batch = FlushBatch()
            batch.records = [
                F.record(tenant: composed, metric: lower, start: Self.next, usage: 1),
                F.record(tenant: composed, metric: lower, start: F.t0, usage: 1),
                F.record(tenant: decomposed, metric: lower, start: F.t0, usage: 1),
                F.record(tenant: upper, metric: lower, start: F.t0, usage: 1),
                F.record(tenant: F.acme, metric: lower, start: F.t0, usage: 1),
            ]
            batch.events = [
                try F.event(1, tenant: composed, metric: capital),
                try F.event(2, tenant: F.acme, metric: capital, periodStart: Self.next),
            ]
            try await store.persist(batch)
            let summaries = try await store.periodSummaries(tenant: nil)
            let keys = summaries.map { "\($0.tenant.rawValue.utf8.map { $0 })/\($0.metric)/\($0.periodStart == F.t0)" }
            #expect(
                keys == [
                    "\(Array("Zeta".utf8))/a/true",
                    "\(Array("acme".utf8))/B/false",
                    "\(Array("acme".utf8))/a/true",
                    "\(Array("e\u{301}x".utf8))/a/true",
                    "\(Array("\u{e9}a".utf8))/B/true",
                    "\(Array("\u{e9}a".utf8))/a/true",
                    "\(Array("\u{e9}a".utf8))/a/false",
                ]
            )
            // StoredPeriodSummary.precedes is the same order, for stores that sort in Swift.
            #expect(Array(summaries.reversed()).sorted(by: StoredPeriodSummary.precedes) == summaries)
            for (earlier, later) in zip(summaries, summaries.dropFirst()) {
                #expect(StoredPeriodSummary.precedes(earlier, later))
                #expect(!StoredPeriodSummary.precedes(later, earlier))
            }
        }
    }

    @Test("after a reset the summaries no longer list what it deleted")
    func summariesAfterReset() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            try await Self.seed(store)
            var batch = FlushBatch()
            batch.resets = [TenantReset(tenant: F.acme, periods: [.init(metric: F.calls, periodStart: Self.next)])]
            try await store.persist(batch)
            let calls = try await store.periodSummaries(tenant: F.acme).filter { $0.metric == F.calls }
            #expect(calls == [Self.summary(F.calls, record: 6, sum: 6, count: 2, ids: ["n1-1-1", "n1-1-2"])])
        }
    }
}

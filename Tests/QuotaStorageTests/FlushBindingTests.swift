import Foundation
import GRDB
import QuotaCore
import QuotaStorage
import Testing

/// The usage events and records of a persisted batch, read back from the file as SQLite holds them: each text as
/// its bytes (so a byte count or encoding mistake shows), each column's storage class, NULL apart from empty text.
@Suite("Flushed rows round-trip through the bindings")
struct FlushBindingTests {
    typealias F = StoreFixture

    /// Ids that are not ASCII: é precomposed and decomposed (equal to Swift's `==`, different bytes, so different
    /// tenants), CJK, an emoji (four bytes of UTF-8), and 128 bytes of two-byte characters (the longest id).
    static let tenants = try! ["café", "cafe\u{301}", "租户-一", "🚀tenant", String(repeating: "é", count: 64)]
        .map(TenantID.init)
    static let metrics = try! ["api_calls", "métrique", "指标"].map(MetricCode.init)
    static let extremes: [Int64] = [Int64.min, Int64.max, -1, 0, 4_294_967_296, -9_007_199_254_740_993]

    /// Event `n`: the columns of neighbouring events differ, integers take extreme values, and the idempotency key
    /// and metadata are NULL, empty (metadata) or not.
    static func event(_ n: Int) throws -> UsageEvent {
        UsageEvent(
            eventID: "n1-1-\(n)-ü",
            sequence: Int64(n) * 4_294_967_311 - 1_099_511_627_776,
            tenant: Self.tenants[n % Self.tenants.count],
            metric: Self.metrics[n % Self.metrics.count],
            amount: Self.extremes[n % Self.extremes.count],
            periodStart: Timestamp(millisecondsSinceEpoch: Self.extremes[(n + 1) % Self.extremes.count]),
            idempotencyKey: n % 2 == 0 ? try IdempotencyKey("clé-\(n)") : nil,
            metadata: [nil, "", #"{"ü":\#(n)}"#][n % 3],
            createdAt: Timestamp(millisecondsSinceEpoch: Self.extremes[(n + 2) % Self.extremes.count])
        )
    }

    /// Record `n`: a period of its own (the key is unique), usage from 0 to `Int64.max`, an end at `Int64.max` for
    /// some.
    static func record(_ n: Int) -> UsageRecord {
        let start = Int64(n) * 86_400_000 - 62_135_596_800_000
        return UsageRecord(
            tenant: Self.tenants[n % Self.tenants.count],
            metric: Self.metrics[n % Self.metrics.count],
            periodStart: Timestamp(millisecondsSinceEpoch: start),
            periodEnd: Timestamp(millisecondsSinceEpoch: n % 4 == 1 ? Int64.max : start + 1),
            usage: [0, Int64.max, 1, 4_294_967_296][n % 4],
            updatedAt: Timestamp(millisecondsSinceEpoch: Int64.min + Int64(n))
        )
    }

    /// A value as SQLite should hold it: an integer, the bytes of a text, or NULL.
    static func stored(_ value: Int64) -> DatabaseValue { value.databaseValue }
    static func stored(_ value: String?) -> DatabaseValue { value.map { Data($0.utf8).databaseValue } ?? .null }

    static func expectedColumns(_ event: UsageEvent) -> [DatabaseValue] {
        [
            stored(event.sequence), stored(event.eventID), stored(event.tenant.rawValue),
            stored(event.metric.rawValue), stored(event.amount), stored(event.periodStart.millisecondsSinceEpoch),
            stored(event.idempotencyKey?.rawValue), stored(event.metadata),
            stored(event.createdAt.millisecondsSinceEpoch),
        ]
    }

    static func expectedColumns(_ record: UsageRecord) -> [DatabaseValue] {
        [
            stored(record.tenant.rawValue), stored(record.metric.rawValue),
            stored(record.periodStart.millisecondsSinceEpoch), stored(record.periodEnd.millisecondsSinceEpoch),
            stored(record.usage), stored(record.updatedAt.millisecondsSinceEpoch),
        ]
    }

    /// The rows of `table`, each the values of `columns` with every text as a blob of its bytes, in `order`.
    static func storedRows(
        _ path: String,
        _ table: String,
        _ columns: [String],
        by order: String
    ) throws
        -> [[DatabaseValue]]
    {
        let selected = columns.map { "CASE typeof(\($0)) WHEN 'text' THEN CAST(\($0) AS BLOB) ELSE \($0) END" }
        return try rawRows(path, "SELECT \(selected.joined(separator: ", ")) FROM \(table) ORDER BY \(order)")
            .map { row in (0..<columns.count).map { row[$0] as DatabaseValue } }
    }

    /// The storage classes found in each column of `table`, as `column:class` (`integer`, `text`, `null`…).
    static func storageClasses(_ path: String, _ table: String, _ columns: [String]) throws -> Set<String> {
        var classes: Set<String> = []
        for column in columns {
            for row in try rawRows(path, "SELECT DISTINCT typeof(\(column)) AS c FROM \(table)") {
                classes.insert("\(column):\(row["c"] as String)")
            }
        }
        return classes
    }

    static let eventColumns = [
        "sequence", "event_id", "tenant_id", "metric_code", "amount", "period_start", "idempotency_key", "metadata",
        "created_at",
    ]
    static let recordColumns = [
        "tenant_id", "metric_code", "period_start", "period_end", "current_usage", "updated_at",
    ]

    @Test(
        "every column of every row round-trips, on both sides of the statement boundaries",
        arguments: [0, 1, 2, 63, 64, 65, 100, 128, 129, 200]
    )
    func roundTrip(rows: Int) async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            var batch = FlushBatch()
            batch.events = try (0..<rows).map(Self.event)
            batch.records = (0..<rows).map(Self.record)
            // A batch with no rows is empty, and persist would skip it: a limit keeps it from being empty.
            batch.limitChanges = [.removed(F.acme, F.calls)]
            try await store.persist(batch)

            let events = try Self.storedRows(path, "usage_events", Self.eventColumns, by: "sequence")
            #expect(events == batch.events.sorted { $0.sequence < $1.sequence }.map(Self.expectedColumns))
            let records = try Self.storedRows(path, "usage_records", Self.recordColumns, by: "period_start")
            #expect(records == batch.records.map(Self.expectedColumns))
            guard rows >= 3 else { return }
            #expect(
                try Self.storageClasses(path, "usage_events", Self.eventColumns) == [
                    "sequence:integer", "event_id:text", "tenant_id:text", "metric_code:text", "amount:integer",
                    "period_start:integer", "idempotency_key:text", "idempotency_key:null", "metadata:null",
                    "metadata:text", "created_at:integer",
                ]
            )
            #expect(
                try Self.storageClasses(path, "usage_records", Self.recordColumns) == [
                    "tenant_id:text", "metric_code:text", "period_start:integer", "period_end:integer",
                    "current_usage:integer", "updated_at:integer",
                ]
            )
        }
    }

    @Test("the ids read back through the store's queries are the same bytes")
    func queriesFindNonASCIIIds() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            var batch = FlushBatch()
            batch.events = try (0..<130).map(Self.event)
            batch.records = (0..<130).map(Self.record)
            try await store.persist(batch)
            for tenant in Self.tenants {
                let records = try await store.records(RecordQuery(tenant: tenant, limit: 1_000))
                #expect(Set(records) == Set(batch.records.filter { $0.tenant == tenant }), "\(tenant)")
                #expect(records.allSatisfy { $0.tenant.rawValue.utf8.elementsEqual(tenant.rawValue.utf8) })
            }
        }
    }

    @Test("OR IGNORE and ON CONFLICT apply per row, within a statement and across statements")
    func perRowConflicts() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            var first = FlushBatch()
            first.events = try (Int64(1)...65).map { try F.event($0, amount: $0) }
            first.records = (0..<65).map { F.record(start: F.at(Int64($0) * 60_000), usage: Int64($0)) }
            try await store.persist(first)

            var second = FlushBatch()
            // Sequence 100 twice in the first statement, then every stored sequence again: the first row of a
            // sequence stays, whether it was stored before or earlier in the batch.
            second.events =
                try [F.event(100, amount: 1_000), F.event(100, amount: 2_000)]
                + (Int64(1)...65).map { try F.event($0, amount: -$0) }
            // Every stored record again with new usage (updated), and one new.
            second.records = (0..<66).map { F.record(start: F.at(Int64($0) * 60_000), usage: Int64($0) + 500) }
            try await store.persist(second)

            let amounts = try rawRows(path, "SELECT sequence, amount FROM usage_events ORDER BY sequence")
            #expect(amounts.map { $0["sequence"] as Int64 } == Array(1...65) + [100])
            #expect(amounts.map { $0["amount"] as Int64 } == Array(1...65) + [1_000])
            let usage = try rawRows(path, "SELECT current_usage FROM usage_records ORDER BY period_start")
            #expect(usage.map { $0["current_usage"] as Int64 } == (0..<66).map { Int64($0) + 500 })
        }
    }
}

import Foundation
import GRDB
import QuotaCore
import Testing

@testable import QuotaStorage

@Suite("SQLite quota store: schema migrations and the sequence-block index")
struct SchemaMigrationTests {
    typealias F = StoreFixture

    static let v1 = "v1: limits, usage records, usage events, idempotency keys"

    /// Writes a file as a build that knew only migration v1 left it: v1's tables and indexes, and v1 recorded in
    /// `grdb_migrations`.
    static func createVersion1File(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    CREATE TABLE node_meta (
                        key TEXT PRIMARY KEY NOT NULL,
                        value INTEGER NOT NULL
                    );
                    CREATE TABLE limits (
                        tenant_id TEXT NOT NULL,
                        metric_code TEXT NOT NULL,
                        limit_value INTEGER NOT NULL CHECK (limit_value >= 0),
                        period TEXT NOT NULL,
                        anchor_month INTEGER,
                        anchor_day INTEGER,
                        time_zone TEXT NOT NULL,
                        enforcement TEXT NOT NULL CHECK (enforcement IN ('hard', 'soft', 'none')),
                        audit TEXT NOT NULL CHECK (audit IN ('full', 'aggregate')),
                        PRIMARY KEY (tenant_id, metric_code)
                    );
                    CREATE TABLE usage_records (
                        tenant_id TEXT NOT NULL,
                        metric_code TEXT NOT NULL,
                        period_start INTEGER NOT NULL,
                        period_end INTEGER NOT NULL CHECK (period_end > period_start),
                        current_usage INTEGER NOT NULL CHECK (current_usage >= 0),
                        updated_at INTEGER NOT NULL,
                        PRIMARY KEY (tenant_id, metric_code, period_start)
                    );
                    CREATE INDEX usage_records_by_metric_end ON usage_records (tenant_id, metric_code, period_end);
                    CREATE INDEX usage_records_by_end ON usage_records (tenant_id, period_end);
                    CREATE TABLE usage_events (
                        sequence INTEGER PRIMARY KEY NOT NULL,
                        event_id TEXT NOT NULL,
                        tenant_id TEXT NOT NULL,
                        metric_code TEXT NOT NULL,
                        amount INTEGER NOT NULL,
                        period_start INTEGER NOT NULL,
                        idempotency_key TEXT,
                        metadata TEXT,
                        created_at INTEGER NOT NULL
                    );
                    CREATE INDEX usage_events_by_metric_time ON usage_events (tenant_id, metric_code, created_at);
                    CREATE INDEX usage_events_by_tenant_sequence ON usage_events (tenant_id, sequence);
                    CREATE TABLE idempotency_keys (
                        tenant_id TEXT NOT NULL,
                        idempotency_key TEXT NOT NULL,
                        fingerprint INTEGER NOT NULL,
                        decision TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        PRIMARY KEY (tenant_id, idempotency_key)
                    );
                    CREATE INDEX idempotency_keys_by_time ON idempotency_keys (created_at);
                    """
            )
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [Self.v1])
        }
    }

    /// Sequences spread over four blocks of 65,536 (0, 1, 3 and 4; block 2 holds none), interleaving acme and
    /// globex, two metrics, two periods, with keys and metadata; and usage records, current and past.
    static func seedBatch() throws -> FlushBatch {
        let sequences: [Int64] = [1, 2, 65_535, 65_536, 65_537, 131_071, 196_608, 196_609, 262_143, 262_144, 300_000]
        var batch = FlushBatch()
        for (index, sequence) in sequences.enumerated() {
            batch.events.append(
                try F.event(
                    sequence,
                    tenant: index % 3 == 2 ? F.globex : F.acme,
                    metric: index % 2 == 0 ? F.calls : F.products,
                    amount: Int64(index + 1),
                    periodStart: index < 5 ? F.at(-60_000) : F.t0,
                    key: index == 4 ? "k\(index)" : nil,
                    metadata: index == 6 ? #"{"order":6}"# : nil
                )
            )
        }
        batch.records = [
            F.record(metric: F.calls, start: F.at(-60_000), usage: 9),
            F.record(metric: F.calls, start: F.t0, usage: 3),
            F.record(metric: F.products, start: F.t0, usage: 4),
            F.record(tenant: F.globex, metric: F.calls, start: F.t0, usage: 7),
        ]
        return batch
    }

    /// What the store's queries answer, for comparing two files.
    struct Answers: Equatable {
        var pages: [EventPage] = []
        var records: [[UsageRecord]] = []
        var summaries: [[StoredPeriodSummary]] = []
        var recovered: [UsageRecord] = []
        var nextEventSequence: Int64 = 0

        init(_ store: SQLiteQuotaStore) async throws {
            for tenant in [F.acme, F.globex, try TenantID("initech")] {
                for metric in [nil, F.calls, F.products] {
                    for (from, to) in [(nil, nil), (F.at(65_536_000), nil), (nil, F.at(200_000_000))] {
                        var cursor: Int64?
                        repeat {
                            let page = try await store.events(
                                EventQuery(
                                    tenant: tenant,
                                    metric: metric,
                                    from: from,
                                    to: to,
                                    afterSequence: cursor,
                                    limit: 2
                                )
                            )
                            self.pages.append(page)
                            cursor = page.nextCursor
                        } while cursor != nil
                    }
                }
                self.records.append(try await store.records(RecordQuery(tenant: tenant)))
                self.records.append(try await store.records(RecordQuery(tenant: tenant, metric: F.calls, limit: 1)))
                self.summaries.append(try await store.periodSummaries(tenant: tenant))
            }
            self.summaries.append(try await store.periodSummaries(tenant: nil))
            let state = try await store.recover(now: F.t0, idempotencySince: F.t0)
            self.recovered = state.records
            self.nextEventSequence = state.nextEventSequence
        }
    }

    @Test("a v1 file with rows migrates to v2, and every query answers as on a file created by v2")
    func version1FileMigrates() async throws {
        try await withTemporaryDatabase { path in
            try Self.createVersion1File(path)
            let batch = try Self.seedBatch()
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                for event in batch.events {
                    try db.execute(
                        sql: """
                            INSERT INTO usage_events (sequence, event_id, tenant_id, metric_code, amount, period_start,
                                                      idempotency_key, metadata, created_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            event.sequence, event.eventID, event.tenant.rawValue, event.metric.rawValue, event.amount,
                            event.periodStart.millisecondsSinceEpoch, event.idempotencyKey?.rawValue, event.metadata,
                            event.createdAt.millisecondsSinceEpoch,
                        ]
                    )
                }
                for record in batch.records {
                    try db.execute(
                        sql: """
                            INSERT INTO usage_records (tenant_id, metric_code, period_start, period_end, current_usage,
                                                       updated_at)
                            VALUES (?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            record.tenant.rawValue, record.metric.rawValue, record.periodStart.millisecondsSinceEpoch,
                            record.periodEnd.millisecondsSinceEpoch, record.usage,
                            record.updatedAt.millisecondsSinceEpoch,
                        ]
                    )
                }
            }
            try queue.close()

            let migrated = try SQLiteQuotaStore(path: path)
            let migrations = try rawRows(path, "SELECT identifier FROM grdb_migrations ORDER BY identifier").map {
                $0["identifier"] as String
            }
            #expect(migrations == [Self.v1, "v2: usage events indexed by sequence block, usage records without rowid"])
            let indexes = try rawRows(path, "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
                .map { $0["name"] as String }
            #expect(Set(indexes) == ["usage_events_by_block_tenant", "idempotency_keys_by_time"])
            #expect(try rawCount(path, "usage_events") == batch.events.count)
            #expect(try rawCount(path, "usage_records") == batch.records.count)

            let fresh = try SQLiteQuotaStore(path: path + "-fresh")
            try await fresh.persist(batch)
            let answers = try await Answers(migrated)
            #expect(answers == (try await Answers(fresh)))
            #expect(answers.nextEventSequence == 300_001)

            // The migrated file keeps taking batches: an upsert of a record, events in a new block.
            var next = FlushBatch()
            next.records = [F.record(metric: F.calls, start: F.t0, usage: 5)]
            next.events = [try F.event(400_000), try F.event(400_001, tenant: F.globex)]
            try await migrated.persist(next)
            try await fresh.persist(next)
            #expect(try await Answers(migrated) == (try await Answers(fresh)))
        }
    }

    @Test("events of a tenant across sequence blocks come in sequence order, page by page, filters applied")
    func eventsAcrossBlocks() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            let batch = try Self.seedBatch()
            try await store.persist(batch)
            for tenant in [F.acme, F.globex] {
                for metric in [nil, F.calls, F.products] {
                    let expected = batch.events.filter { $0.tenant == tenant && (metric == nil || $0.metric == metric) }
                    for pageSize in [1, 2, 3, 1_000] {
                        var cursor: Int64?
                        var seen: [UsageEvent] = []
                        repeat {
                            let page = try await store.events(
                                EventQuery(tenant: tenant, metric: metric, afterSequence: cursor, limit: pageSize)
                            )
                            seen += page.events
                            cursor = page.nextCursor
                        } while cursor != nil
                        #expect(seen == expected, "\(tenant) \(String(describing: metric)) pages of \(pageSize)")
                    }
                }
            }
            let window = try await store.events(
                EventQuery(tenant: F.acme, from: F.at(65_536_000), to: F.at(262_144_000))
            )
            #expect(window.events.map(\.sequence) == [65_536, 65_537, 196_608, 196_609])
            let afterTheLast = try await store.events(EventQuery(tenant: F.acme, afterSequence: 300_000))
            #expect(afterTheLast.events.isEmpty && afterTheLast.nextCursor == nil)
        }
    }

    @Test("a reset deletes the tenant's events of the metric in every sequence block, and only those")
    func resetAcrossBlocks() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            let batch = try Self.seedBatch()
            try await store.persist(batch)
            var reset = FlushBatch()
            reset.resets = [TenantReset(tenant: F.acme, periods: [.init(metric: F.calls, periodStart: F.t0)])]
            try await store.persist(reset)
            let remaining = try rawRows(path, "SELECT sequence FROM usage_events ORDER BY sequence").map {
                $0["sequence"] as Int64
            }
            let deleted = batch.events.filter { $0.tenant == F.acme && $0.metric == F.calls && $0.periodStart == F.t0 }
            #expect(deleted.map(\.sequence) == [196_608, 300_000])
            #expect(remaining == batch.events.map(\.sequence).filter { !deleted.map(\.sequence).contains($0) })
            let summaries = try await store.periodSummaries(tenant: F.acme)
            #expect(summaries.allSatisfy { !($0.metric == F.calls && $0.periodStart == F.t0) })
            #expect(summaries.count == 3)
        }
    }

    @Test("the store's per-tenant statements on usage events and records search an index; event pages need no sort")
    func queryPlans() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            try await store.persist(try Self.seedBatch())
            let page = StoredEvent.pageStatement(
                try EventQuery(tenant: F.acme, metric: F.calls, from: F.t0, to: F.at(1), afterSequence: 1, limit: 10)
            )
            let summaries = StoredPeriodSummaries.statement(tenant: F.acme)
            let reset: StatementArguments = [Int64.min, "acme", "api_calls", 0]
            let statements: [(sql: String, arguments: StatementArguments, sorts: Bool)] = [
                (page.sql, page.arguments, false),
                (StoredEvent.pageStatement(try EventQuery(tenant: F.acme)).sql, [Int64.min, "acme", 1_001], false),
                (StoredReset.deleteEvents, reset, false),
                (StoredReset.deleteRecords, ["acme", "api_calls", 0], false),
                (summaries.sql, summaries.arguments, true),
                (
                    "SELECT * FROM usage_records WHERE tenant_id = ? ORDER BY period_start DESC, metric_code LIMIT 5",
                    ["acme"], true
                ),
            ]
            var configuration = Configuration()
            configuration.prepareDatabase { $0.add(function: StoredPeriodSummaries.eventDigestFunction) }
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try await queue.read { db in
                for statement in statements {
                    let plan = try Row.fetchAll(
                        db,
                        sql: "EXPLAIN QUERY PLAN \(statement.sql)",
                        arguments: statement.arguments
                    )
                    .map { $0["detail"] as String }
                    // SEARCH or SCAN of the two tables, leaving out MIN(sequence) and MAX(sequence) of event_blocks
                    // (searches of the integer primary key) and the scans of materialized CTEs (e, event_blocks).
                    let steps = plan.filter { $0.hasPrefix("SEARCH") || $0.hasPrefix("SCAN") }
                        .filter { $0.contains("usage_events") || $0.contains("usage_records") || $0.contains(" r ") }
                        .filter { $0 != "SEARCH usage_events" && !$0.contains("INTEGER PRIMARY KEY") }
                    #expect(!steps.isEmpty && steps.allSatisfy { $0.hasPrefix("SEARCH") }, "\(statement.sql): \(plan)")
                    if !statement.sorts {
                        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(statement.sql): \(plan)")
                    }
                }
            }
        }
    }
}

import Foundation
import GRDB
import QuotaCore
import QuotaStorage
import Testing

@Suite("SQLite quota store")
struct SQLiteQuotaStoreTests {
    typealias F = StoreFixture

    // MARK: Schema

    @Test("opening a new file runs the migrations: every table and index of the schema exists")
    func migrationsCreateSchema() async throws {
        try await withTemporaryDatabase { path in
            _ = try SQLiteQuotaStore(path: path)
            let tables = try rawRows(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                .map { $0["name"] as String }
            for table in [
                "node_meta", "limits", "usage_records", "usage_events", "idempotency_keys", "grdb_migrations",
            ] {
                #expect(tables.contains(table), "table \(table) in \(tables)")
            }
            // The first column of usage_events_by_block_tenant is an expression, `sequence >> 16`: no name.
            let indexes: [String: [String?]] = [
                "usage_events_by_block_tenant": [nil, "tenant_id", "sequence"],
                "idempotency_keys_by_time": ["created_at"],
            ]
            let named = try rawRows(path, "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
                .map { $0["name"] as String }
            #expect(Set(named) == Set(indexes.keys))
            for (index, columns) in indexes {
                let info = try rawRows(path, "PRAGMA index_info('\(index)')").map { $0["name"] as String? }
                #expect(info == columns, "index \(index)")
            }
            let primaryKey = try rawRows(
                path,
                "SELECT name FROM pragma_table_info('usage_records') WHERE pk > 0 ORDER BY pk"
            )
            .map { $0["name"] as String }
            #expect(primaryKey == ["tenant_id", "metric_code", "period_start"])
            let withoutRowid = try rawRows(path, "SELECT sql FROM sqlite_master WHERE name = 'usage_records'")
            #expect((withoutRowid.first?["sql"] as String?)?.hasSuffix("WITHOUT ROWID") == true)
            let migrations = try rawRows(path, "SELECT identifier FROM grdb_migrations ORDER BY identifier").map {
                $0["identifier"] as String
            }
            #expect(
                migrations == [
                    "v1: limits, usage records, usage events, idempotency keys",
                    "v2: usage events indexed by sequence block, usage records without rowid",
                ]
            )
            let journal: String? = try rawRows(path, "PRAGMA journal_mode").first?[0]
            #expect(journal?.lowercased() == "wal")
        }
    }

    @Test("reopening a migrated file keeps its data and runs no migration twice")
    func reopen() async throws {
        try await withTemporaryDatabase { path in
            do {
                let store = try SQLiteQuotaStore(path: path)
                var batch = FlushBatch()
                batch.events = [try F.event(1)]
                try await store.persist(batch)
            }
            let store = try SQLiteQuotaStore(path: path)
            #expect(try await store.recover(now: F.t0, idempotencySince: F.t0).nextEventSequence == 2)
            #expect(try rawCount(path, "grdb_migrations") == 2)
        }
    }

    @Test("a file that is not a database is refused")
    func notADatabase() async throws {
        try await withTemporaryDatabase { path in
            try Data(repeating: 0x41, count: 4_096).write(to: URL(fileURLWithPath: path))
            #expect(throws: (any Error).self) { try SQLiteQuotaStore(path: path) }
        }
    }

    // MARK: Incarnations

    @Test("beginIncarnation increases, across reopening the file too")
    func incarnations() async throws {
        try await withTemporaryDatabase { path in
            do {
                let store = try SQLiteQuotaStore(path: path)
                #expect(try await store.beginIncarnation() == 1)
                #expect(try await store.beginIncarnation() == 2)
            }
            let reopened = try SQLiteQuotaStore(path: path)
            #expect(try await reopened.beginIncarnation() == 3)
        }
    }

    // MARK: Persist and recover

    @Test("an empty store recovers an empty state")
    func emptyRecovery() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            let state = try await store.recover(now: F.t0, idempotencySince: F.at(-1))
            #expect(state.limits.isEmpty)
            #expect(state.records.isEmpty)
            #expect(state.idempotency.isEmpty)
            #expect(state.nextEventSequence == 1)
            try await store.persist(FlushBatch())
        }
    }

    @Test("limits round trip with their periods, anchors, time zones, enforcement and audit; changes apply in order")
    func limitsRoundTrip() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            let minute = try Limit(
                tenant: F.acme,
                metric: F.calls,
                value: 100,
                period: PeriodSpec(unit: .minute),
                enforcement: .hard,
                audit: .aggregate
            )
            let monthly = try Limit(
                tenant: F.acme,
                metric: F.products,
                value: 0,
                period: PeriodSpec(
                    unit: .month,
                    anchor: BillingAnchor(day: 31),
                    timeZone: TimeZoneRules(identifier: "Europe/Berlin")
                ),
                enforcement: .soft
            )
            let yearly = try Limit(
                tenant: F.globex,
                metric: F.bytes,
                value: Int64.max,
                period: PeriodSpec(
                    unit: .year,
                    anchor: BillingAnchor(day: 29, month: 2),
                    timeZone: TimeZoneRules(identifier: "Asia/Kolkata")
                ),
                enforcement: .none
            )
            let daily = try Limit(
                tenant: F.globex,
                metric: F.calls,
                value: 7,
                period: PeriodSpec(unit: .day, timeZone: TimeZoneRules(identifier: "America/New_York")),
                enforcement: .hard
            )
            let replaced = try Limit(
                tenant: F.acme,
                metric: F.calls,
                value: 50,
                period: PeriodSpec(unit: .hour),
                enforcement: .soft
            )
            var first = FlushBatch()
            first.limitChanges = [.set(minute), .set(monthly), .set(yearly), .set(daily)]
            try await store.persist(first)
            var second = FlushBatch()
            // Removed then set again within one batch, and a plain replacement: order matters.
            second.limitChanges = [
                .removed(F.globex, F.calls), .set(daily), .set(replaced), .removed(F.globex, F.bytes),
            ]
            try await store.persist(second)

            let expected = [replaced, monthly, daily]  // by tenant, then metric
            #expect(try await store.recover(now: F.t0, idempotencySince: F.t0).limits == expected)
            let reopened = try SQLiteQuotaStore(path: path)
            let recovered = try await reopened.recover(now: F.t0, idempotencySince: F.t0).limits
            #expect(recovered == expected)
            #expect(recovered.map(\.period.timeZone.identifier) == ["UTC", "Europe/Berlin", "America/New_York"])
            #expect(recovered[1].period.anchor == (try BillingAnchor(day: 31)))

            var yearlyBatch = FlushBatch()
            yearlyBatch.limitChanges = [.set(yearly)]
            try await store.persist(yearlyBatch)
            let withYearly = try await store.recover(now: F.t0, idempotencySince: F.t0).limits
            #expect(withYearly.last == yearly)
            #expect(withYearly.last?.period.anchor == (try BillingAnchor(day: 29, month: 2)))
        }
    }

    @Test("records are upserted per (tenant, metric, period start); only current periods are recovered")
    func recordsRoundTrip() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            let past = F.record(start: F.at(-60_000), usage: 9)  // ends at t0: over at t0
            let current = F.record(start: F.t0, usage: 3)
            let hourly = F.record(metric: F.products, start: F.t0, lengthMilliseconds: 3_600_000, usage: 40)
            let other = F.record(tenant: F.globex, start: F.t0, usage: 1)
            var batch = FlushBatch()
            batch.records = [past, current, hourly, other]
            try await store.persist(batch)
            let updated = F.record(start: F.t0, usage: 4)
            var update = FlushBatch()
            update.records = [updated]
            try await store.persist(update)

            let atStart = try await store.recover(now: F.t0, idempotencySince: F.t0).records
            #expect(
                atStart == [updated, hourly, other],
                "by tenant, metric, period start; the ended period is left out"
            )
            let justBefore = try await store.recover(now: F.at(-1), idempotencySince: F.t0).records
            #expect(justBefore.contains(past))
            let later = try await store.recover(now: F.at(60_000), idempotencySince: F.t0).records
            #expect(later == [hourly])
            #expect(try rawCount(path, "usage_records") == 4, "past periods stay as history")
        }
    }

    @Test("idempotency keys round trip with their decision as JSON; old keys are not recovered")
    func idempotencyRoundTrip() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            var denied = Decision(
                allowed: false,
                tenant: "acme",
                results: [
                    Decision.Item(
                        metric: "api_calls",
                        allowed: false,
                        enforcement: .hard,
                        usage: Int64.max - 1,
                        limit: Int64.max - 1,
                        remaining: 0,
                        exceeded: true,
                        overage: 9_007_199_254_740_993,
                        periodStart: F.at(-1),
                        periodEnd: Timestamp(millisecondsSinceEpoch: 253_402_300_799_999)
                    ),
                    Decision.Item(
                        metric: "naïve €",
                        allowed: true,
                        enforcement: .none,
                        usage: 0,
                        limit: nil,
                        remaining: nil,
                        exceeded: false,
                        overage: 0,
                        periodStart: F.t0,
                        periodEnd: F.at(1)
                    ),
                ],
                eventID: nil,
                retryAfterMilliseconds: 59_999
            )
            denied.replayed = false
            let entries = [
                IdempotencyEntry(
                    tenant: F.acme,
                    key: try IdempotencyKey("old"),
                    fingerprint: 1,
                    decision: F.decision(),
                    createdAt: F.at(-10)
                ),
                IdempotencyEntry(
                    tenant: F.acme,
                    key: try IdempotencyKey("edge"),
                    fingerprint: 2,
                    decision: F.decision(limit: nil),
                    createdAt: F.t0
                ),
                IdempotencyEntry(
                    tenant: F.acme,
                    key: try IdempotencyKey("order/42 ✓"),
                    fingerprint: UInt64.max,
                    decision: denied,
                    createdAt: F.at(5)
                ),
                IdempotencyEntry(
                    tenant: F.globex,
                    key: try IdempotencyKey("order/42 ✓"),
                    fingerprint: 0x8000_0000_0000_0001,
                    decision: F.decision(eventID: "n1-1-9"),
                    createdAt: F.at(6)
                ),
            ]
            var batch = FlushBatch()
            batch.idempotency = entries
            try await store.persist(batch)
            // Keys applied after `idempotencySince` (exclusive), oldest first.
            let recovered = try await store.recover(now: F.at(10), idempotencySince: F.t0).idempotency
            #expect(recovered == Array(entries[2...]))
            #expect(recovered.first?.decision == denied)
            #expect(recovered.first?.fingerprint == UInt64.max)
            let all = try await store.recover(now: F.at(10), idempotencySince: F.at(-11)).idempotency
            #expect(all.map(\.key.rawValue) == ["old", "edge", "order/42 ✓", "order/42 ✓"])
            #expect(all == entries)
        }
    }

    @Test("nextEventSequence is one more than the highest stored sequence")
    func nextEventSequence() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            var batch = FlushBatch()
            batch.events = try [5, 6, 9].map { try F.event($0) }
            try await store.persist(batch)
            #expect(try await store.recover(now: F.t0, idempotencySince: F.t0).nextEventSequence == 10)
        }
    }

    // MARK: Queries

    /// acme: api_calls events 1…10 (created at t0 + n s), products 11…15; globex: 16…18.
    static func seedEvents(_ store: SQLiteQuotaStore) async throws {
        var batch = FlushBatch()
        batch.events =
            try (Int64(1)...10).map {
                try F.event($0, amount: $0, key: $0 == 3 ? "k3" : nil, metadata: $0 == 4 ? #"{"a":1}"# : nil)
            }
            + (Int64(11)...15).map { try F.event($0, metric: F.products, amount: -1) }
            + (Int64(16)...18).map { try F.event($0, tenant: F.globex) }
        try await store.persist(batch)
    }

    @Test("events of a tenant, oldest first, with every field round-tripped")
    func eventsOfATenant() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            try await Self.seedEvents(store)
            let page = try await store.events(EventQuery(tenant: F.acme))
            #expect(page.events.map(\.sequence) == Array(1...15))
            #expect(page.nextCursor == nil)
            #expect(page.events[2] == (try F.event(3, amount: 3, key: "k3")))
            #expect(page.events[3].metadata == #"{"a":1}"#)
            #expect(page.events[12].amount == -1)
            let globex = try await store.events(EventQuery(tenant: F.globex))
            #expect(globex.events.map(\.sequence) == [16, 17, 18])
            #expect(try await store.events(EventQuery(tenant: TenantID("nobody"))).events.isEmpty)
        }
    }

    @Test("events filter by metric and by time: from inclusive, to exclusive")
    func eventFilters() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            try await Self.seedEvents(store)
            let products = try await store.events(EventQuery(tenant: F.acme, metric: F.products))
            #expect(products.events.map(\.sequence) == [11, 12, 13, 14, 15])
            let window = try await store.events(EventQuery(tenant: F.acme, from: F.at(3_000), to: F.at(6_000)))
            #expect(window.events.map(\.sequence) == [3, 4, 5])
            let from = try await store.events(EventQuery(tenant: F.acme, metric: F.calls, from: F.at(9_000)))
            #expect(from.events.map(\.sequence) == [9, 10])
            let to = try await store.events(EventQuery(tenant: F.acme, to: F.at(2_000)))
            #expect(to.events.map(\.sequence) == [1])
            #expect(throws: QuotaError.self) { try EventQuery(tenant: F.acme, from: F.at(5), to: F.at(5)) }
        }
    }

    @Test(
        "cursor pagination visits every event once; the last page has no cursor",
        arguments: [1, 2, 3, 4, 5, 15, 16, 1_000]
    )
    func pagination(pageSize: Int) async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            try await Self.seedEvents(store)
            var cursor: Int64?
            var seen: [Int64] = []
            var pages = 0
            repeat {
                let page = try await store.events(EventQuery(tenant: F.acme, afterSequence: cursor, limit: pageSize))
                pages += 1
                #expect(page.events.count <= pageSize)
                #expect(!page.events.isEmpty)
                seen += page.events.map(\.sequence)
                if let next = page.nextCursor {
                    #expect(next == page.events.last?.sequence)
                    #expect(page.events.count == pageSize)
                }
                cursor = page.nextCursor
            } while cursor != nil && pages < 100
            #expect(seen == Array(1...15))
            #expect(pages == (15 + pageSize - 1) / pageSize)
            // With a metric filter the cursor still works.
            let first = try await store.events(
                EventQuery(tenant: F.acme, metric: F.products, afterSequence: 12, limit: 2)
            )
            #expect(first.events.map(\.sequence) == [13, 14])
            #expect(first.nextCursor == 14)
        }
    }

    @Test("records of a tenant, newest period first, filtered by metric and limited")
    func recordsQuery() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            var batch = FlushBatch()
            batch.records =
                (0..<5).map { F.record(start: F.at(Int64($0) * 60_000), usage: Int64($0)) }
                + [F.record(metric: F.products, start: F.at(120_000), usage: 77)]
                + [F.record(tenant: F.globex, start: F.at(600_000), usage: 1)]
            try await store.persist(batch)
            let all = try await store.records(RecordQuery(tenant: F.acme))
            #expect(all.map(\.periodStart) == [4, 3, 2, 2, 1, 0].map { F.at($0 * 60_000) })
            #expect(all[2].metric == F.calls && all[3].metric == F.products, "same period: by metric")
            let calls = try await store.records(RecordQuery(tenant: F.acme, metric: F.calls, limit: 2))
            #expect(calls.map(\.usage) == [4, 3])
            #expect(try await store.records(RecordQuery(tenant: F.globex)).map(\.usage) == [1])
            #expect(throws: QuotaError.self) { try RecordQuery(tenant: F.acme, limit: 0) }
            #expect(throws: QuotaError.self) { try EventQuery(tenant: F.acme, limit: 1_001) }
        }
    }

    // MARK: Atomicity and retries

    @Test("a batch that fails part-way leaves nothing written")
    func failedBatchIsAtomic() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            var batch = FlushBatch()
            batch.limitChanges = [
                .set(
                    try Limit(
                        tenant: F.acme,
                        metric: F.calls,
                        value: 10,
                        period: PeriodSpec(unit: .minute),
                        enforcement: .hard
                    )
                )
            ]
            batch.events = [try F.event(1)]
            batch.idempotency = [
                IdempotencyEntry(
                    tenant: F.acme,
                    key: try IdempotencyKey("k"),
                    fingerprint: 1,
                    decision: F.decision(),
                    createdAt: F.t0
                )
            ]
            // The last record breaks the schema's CHECK (current_usage >= 0): the statement fails after the limit
            // and the first record were written inside the transaction.
            batch.records = [F.record(start: F.t0, usage: 3), F.record(metric: F.products, start: F.t0, usage: -1)]
            await #expect(throws: (any Error).self) { try await store.persist(batch) }

            let state = try await store.recover(now: F.t0, idempotencySince: F.at(-1))
            #expect(state.limits.isEmpty)
            #expect(state.records.isEmpty)
            #expect(state.idempotency.isEmpty)
            #expect(state.nextEventSequence == 1)
            for table in ["limits", "usage_records", "usage_events", "idempotency_keys"] {
                #expect(try rawCount(path, table) == 0, "\(table) after a failed batch")
            }

            // The store still works, and the corrected batch goes through whole.
            batch.records.removeLast()
            try await store.persist(batch)
            let after = try await store.recover(now: F.t0, idempotencySince: F.at(-1))
            #expect(after.limits.count == 1)
            #expect(after.records.count == 1)
            #expect(after.idempotency.count == 1)
            #expect(after.nextEventSequence == 2)
        }
    }

    @Test("the same batch persisted twice does not fail and changes nothing the second time")
    func batchPersistedTwice() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            var batch = FlushBatch()
            batch.limitChanges = [
                .set(
                    try Limit(
                        tenant: F.acme,
                        metric: F.calls,
                        value: 10,
                        period: PeriodSpec(unit: .minute),
                        enforcement: .hard
                    )
                )
            ]
            batch.records = [F.record(start: F.t0, usage: 3)]
            batch.events = try [1, 2, 3].map { try F.event($0) }
            batch.idempotency = [
                IdempotencyEntry(
                    tenant: F.acme,
                    key: try IdempotencyKey("k"),
                    fingerprint: 1,
                    decision: F.decision(),
                    createdAt: F.t0
                )
            ]
            try await store.persist(batch)
            let once = try await store.recover(now: F.t0, idempotencySince: F.at(-1))
            let eventsOnce = try await store.events(EventQuery(tenant: F.acme))
            try await store.persist(batch)
            let twice = try await store.recover(now: F.t0, idempotencySince: F.at(-1))
            #expect(twice.limits == once.limits)
            #expect(twice.records == once.records)
            #expect(twice.idempotency == once.idempotency)
            #expect(twice.nextEventSequence == once.nextEventSequence)
            #expect(try await store.events(EventQuery(tenant: F.acme)) == eventsOnce)
            #expect(try rawCount(path, "usage_events") == 3)
        }
    }

    @Test("batches larger than one multi-row statement: every row written once, upserts and OR IGNORE per row")
    func largeBatches() async throws {
        try await withTemporaryDatabase { path in
            let store = try SQLiteQuotaStore(path: path)
            // 150 events and 130 records: two full statements of 64 rows and a shorter last one each.
            var batch = FlushBatch()
            batch.events = try (Int64(1)...150).map {
                try F.event($0, tenant: $0 % 2 == 0 ? F.acme : F.globex, amount: $0, key: $0 == 70 ? "k70" : nil)
            }
            batch.records = (0..<130).map { F.record(start: F.at(Int64($0) * 60_000), usage: Int64($0)) }
            try await store.persist(batch)
            // The same events again (ignored) and the records with new usage (updated), one new of each.
            batch.events.append(try F.event(151))
            batch.records = (0..<131).map { F.record(start: F.at(Int64($0) * 60_000), usage: Int64($0) + 1_000) }
            try await store.persist(batch)
            #expect(try rawCount(path, "usage_events") == 151)
            #expect(try rawCount(path, "usage_records") == 131)
            var seen: [UsageEvent] = []
            for tenant in [F.acme, F.globex] {
                var cursor: Int64?
                repeat {
                    let page = try await store.events(EventQuery(tenant: tenant, afterSequence: cursor, limit: 1_000))
                    seen += page.events
                    cursor = page.nextCursor
                } while cursor != nil
            }
            #expect(seen.sorted { $0.sequence < $1.sequence } == batch.events)
            let records = try await store.records(RecordQuery(tenant: F.acme, limit: 1_000))
            #expect(records == batch.records.reversed())
        }
    }

    // MARK: End to end with the ledger

    @Test("a ledger rebuilt from the store keeps limits, usage and idempotency keys")
    func ledgerRestartThroughTheStore() async throws {
        try await withTemporaryDatabase { path in
            let key = try IdempotencyKey("order-1")
            let configuration = LedgerConfiguration()
            let first: Decision
            do {
                let store = try SQLiteQuotaStore(path: path)
                let incarnation = try await store.beginIncarnation()
                var ledger = QuotaLedger(
                    configuration: configuration,
                    eventIDPrefix: "n1-\(incarnation)",
                    recovered: try await store.recover(
                        now: F.t0,
                        idempotencySince: F.at(-configuration.idempotencyRetentionMilliseconds)
                    ),
                    now: F.t0
                )
                try ledger.setLimit(
                    Limit(
                        tenant: F.acme,
                        metric: F.calls,
                        value: 10,
                        period: PeriodSpec(unit: .hour),
                        enforcement: .hard
                    ),
                    now: F.t0
                )
                first = try ledger.consume(
                    UsageRequest(tenant: F.acme, items: [.init(metric: F.calls, amount: 4)], idempotencyKey: key),
                    now: F.at(1)
                )
                _ = try ledger.consume(
                    UsageRequest(tenant: F.acme, items: [.init(metric: F.calls, amount: 5)]),
                    now: F.at(2)
                )
                while let batch = ledger.takeFlushBatch() {
                    try await store.persist(batch)
                    ledger.flushSucceeded()
                }
            }
            let store = try SQLiteQuotaStore(path: path)
            let incarnation = try await store.beginIncarnation()
            #expect(incarnation == 2)
            let now = F.at(1_000)
            var ledger = QuotaLedger(
                configuration: configuration,
                eventIDPrefix: "n1-\(incarnation)",
                recovered: try await store.recover(
                    now: now,
                    idempotencySince: now.adding(milliseconds: -configuration.idempotencyRetentionMilliseconds)
                ),
                now: now
            )
            let replay = try ledger.consume(
                UsageRequest(tenant: F.acme, items: [.init(metric: F.calls, amount: 4)], idempotencyKey: key),
                now: now
            )
            #expect(replay.replayed)
            #expect(replay.eventID == first.eventID)
            #expect(replay.results == first.results)
            let next = try ledger.consume(
                UsageRequest(tenant: F.acme, items: [.init(metric: F.calls, amount: 1)]),
                now: now
            )
            #expect(next.allowed)
            #expect(next.results[0].usage == 10)
            #expect(next.eventID == "n1-2-3")
            #expect(
                try ledger.consume(UsageRequest(tenant: F.acme, items: [.init(metric: F.calls, amount: 1)]), now: now)
                    .allowed == false
            )
        }
    }
}

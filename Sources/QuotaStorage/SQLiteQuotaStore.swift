import Foundation
import GRDB
import QuotaCore

/// A ``QuotaStore`` over one SQLite file, through GRDB, in WAL mode.
///
/// Each ``persist(_:)`` is one write transaction; reads (events, records) run concurrently with writes
/// thanks to WAL. The file is created and migrated when opened.
public final class SQLiteQuotaStore: QuotaStore {
    private let database: DatabasePool

    /// Opens (creating and migrating if needed) the SQLite file at `path`.
    ///
    /// - Throws: GRDB's `DatabaseError` when the file cannot be opened, is not a database, or is newer
    ///   than this build (it holds migrations this build does not know).
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.label = "quota-store"
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // WAL (set by DatabasePool) with FULL sync: the WAL is synced at every commit, so a persisted batch
            // survives a power loss too, and checkpoints need not be frequent to bound what a power loss takes.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // A checkpoint copies the WAL's pages back into the database file once the WAL holds 4,096 pages
            // (16 MiB; SQLite's default is 1,000): a flush batch writes up to about 2,000 pages, mostly the same
            // usage record pages each time, and a checkpoint writes each page once however many batches changed it.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 4096")
            // A 64 MiB page cache (SQLite's default is 2 MiB) keeps the hot pages in memory: write-behind batches
            // upsert the usage records of many tenants, which touch pages all over that table.
            try db.execute(sql: "PRAGMA cache_size = -65536")
            db.add(function: StoredPeriodSummaries.eventDigestFunction)
        }
        self.database = try DatabasePool(path: path, configuration: configuration)
        let migrator = SQLiteSchema.migrator
        if try self.database.read({ try migrator.hasBeenSuperseded($0) }) {
            throw QuotaError(.internalError, "\(path) was written by a newer version of quotad")
        }
        try migrator.migrate(self.database)
    }

    public func beginIncarnation() async throws -> Int64 {
        try await self.database.write { db in
            let previous = try Int64.fetchOne(db, sql: "SELECT value FROM node_meta WHERE key = 'incarnation'") ?? 0
            try db.execute(
                sql:
                    "INSERT INTO node_meta (key, value) VALUES ('incarnation', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                arguments: [previous + 1]
            )
            return previous + 1
        }
    }

    public func recover(now: Timestamp, idempotencySince: Timestamp) async throws -> RecoveredState {
        try await self.database.read { db in
            var state = RecoveredState()
            for row in try Row.fetchAll(db, sql: "SELECT * FROM limits ORDER BY tenant_id, metric_code") {
                state.limits.append(try StoredLimit.decode(row))
            }
            let records = try Row.fetchAll(
                db,
                sql: "SELECT * FROM usage_records WHERE period_end > ? ORDER BY tenant_id, metric_code, period_start",
                arguments: [now.millisecondsSinceEpoch]
            )
            state.records = try records.map(StoredRecord.decode)
            let keys = try Row.fetchAll(
                db,
                sql: "SELECT * FROM idempotency_keys WHERE created_at > ? ORDER BY created_at",
                arguments: [idempotencySince.millisecondsSinceEpoch]
            )
            state.idempotency = try keys.map(StoredIdempotency.decode)
            state.nextEventSequence = try StoredEvent.highestSequence(db) + 1
            return state
        }
    }

    public func persist(_ batch: FlushBatch) async throws {
        guard !batch.isEmpty else { return }
        try await self.database.write { db in
            // Resets first: the rest of the batch holds the state that replaced what they delete.
            try StoredReset.apply(batch.resets, db)
            try StoredLimit.apply(batch.limitChanges, db)
            try StoredRecord.upsert(batch.records, db)
            try StoredEvent.insert(batch.events, db)
            try StoredIdempotency.upsert(batch.idempotency, db)
        }
    }

    public func events(_ query: EventQuery) async throws -> EventPage {
        try await self.database.read { db in
            let (sql, arguments) = StoredEvent.pageStatement(query)
            var events = try Row.fetchAll(db, sql: sql, arguments: arguments).map(StoredEvent.decode)
            var nextCursor: Int64?
            if events.count > query.limit {
                events.removeLast()
                nextCursor = events.last?.sequence
            }
            return EventPage(events: events, nextCursor: nextCursor)
        }
    }

    public func records(_ query: RecordQuery) async throws -> [UsageRecord] {
        try await self.database.read { db in
            var sql = "SELECT * FROM usage_records WHERE tenant_id = ?"
            var arguments: StatementArguments = [query.tenant.rawValue]
            if let metric = query.metric {
                sql += " AND metric_code = ?"
                arguments += [metric.rawValue]
            }
            sql += " ORDER BY period_start DESC, metric_code LIMIT ?"
            arguments += [query.limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(StoredRecord.decode)
        }
    }

    /// Summaries grouped in SQL (sums, counts, and the event digest through the `quota_event_digest` aggregate).
    ///
    /// - Throws: SQLite's integer overflow error when the amounts of one period do not sum within `Int64`.
    public func periodSummaries(tenant: TenantID?) async throws -> [StoredPeriodSummary] {
        try await self.database.read { db in try StoredPeriodSummaries.fetch(tenant: tenant, db) }
    }
}

import Foundation
import GRDB
import QuotaCore

/// Tenant resets (``TenantReset``): deletes the stored state that a shard snapshot replaced on a replica.
enum StoredReset {
    /// Deletes the usage records of a tenant and metric (the first two arguments) whose period starts at or after
    /// the third.
    static let deleteRecords = "DELETE FROM usage_records WHERE tenant_id = ? AND metric_code = ? AND period_start >= ?"

    /// Deletes the usage events of a tenant and metric (the second and third arguments) whose period starts at or
    /// after the fourth; the first is the sequence after which ``StoredEvent/blocksAfter`` starts.
    static let deleteEvents = """
        WITH RECURSIVE \(StoredEvent.blocksAfter)
        DELETE FROM usage_events
        WHERE \(StoredEvent.block) IN event_blocks AND tenant_id = ? AND metric_code = ? AND period_start >= ?
        """

    /// For each reset, in order: the tenant's limits and idempotency keys, and for each of its metric periods the
    /// tenant's usage records and usage events of that metric whose period starts at or after the given start.
    static func apply(_ resets: [TenantReset], _ db: Database) throws {
        guard !resets.isEmpty else { return }
        try StoredEvent.rememberHighestSequence(db)
        for reset in resets {
            let tenant = reset.tenant.rawValue
            try db.cachedStatement(sql: "DELETE FROM limits WHERE tenant_id = ?").execute(arguments: [tenant])
            try db.cachedStatement(sql: "DELETE FROM idempotency_keys WHERE tenant_id = ?")
                .execute(arguments: [tenant])
            for period in reset.periods {
                let arguments: StatementArguments = [
                    tenant, period.metric.rawValue, period.periodStart.millisecondsSinceEpoch,
                ]
                try db.cachedStatement(sql: Self.deleteRecords).execute(arguments: arguments)
                try db.cachedStatement(sql: Self.deleteEvents).execute(arguments: [Int64.min] + arguments)
            }
        }
    }
}

/// Row mapping of the `limits` table.
enum StoredLimit {
    static func apply(_ changes: [LimitChange], _ db: Database) throws {
        for change in changes {
            switch change {
            case .set(let limit):
                try db.cachedStatement(
                    sql: """
                        INSERT INTO limits (tenant_id, metric_code, limit_value, period, anchor_month, anchor_day,
                                            time_zone, enforcement, audit)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (tenant_id, metric_code) DO UPDATE SET
                            limit_value = excluded.limit_value, period = excluded.period,
                            anchor_month = excluded.anchor_month, anchor_day = excluded.anchor_day,
                            time_zone = excluded.time_zone, enforcement = excluded.enforcement, audit = excluded.audit
                        """
                ).execute(arguments: [
                    limit.tenant.rawValue, limit.metric.rawValue, limit.value, limit.period.unit.rawValue,
                    limit.period.anchor?.month, limit.period.anchor?.day, limit.period.timeZone.identifier,
                    limit.enforcement.rawValue, limit.audit.rawValue,
                ])
            case .removed(let tenant, let metric):
                try db.cachedStatement(sql: "DELETE FROM limits WHERE tenant_id = ? AND metric_code = ?")
                    .execute(arguments: [tenant.rawValue, metric.rawValue])
            }
        }
    }

    static func decode(_ row: Row) throws -> Limit {
        let anchorDay: Int? = row["anchor_day"]
        let anchor = try anchorDay.map { try BillingAnchor(day: $0, month: row["anchor_month"]) }
        let period = try PeriodSpec(
            unit: PeriodUnit(parsing: row["period"]),
            anchor: anchor,
            timeZone: TimeZoneRules(identifier: row["time_zone"])
        )
        return try Limit(
            tenant: TenantID(row["tenant_id"]),
            metric: MetricCode(row["metric_code"]),
            value: row["limit_value"],
            period: period,
            enforcement: Enforcement(parsing: row["enforcement"]),
            audit: AuditLevel(parsing: row["audit"])
        )
    }
}

/// Row mapping of the `usage_records` table.
enum StoredRecord {
    static func upsert(_ records: [UsageRecord], _ db: Database) throws {
        // In the order of the primary key (any order is correct): consecutive upserts fall on the same or the next
        // leaf page, still in the CPU's caches. With the records of 5,000 consumes of random tenants out of 100,000,
        // this took a quarter to a third off the upserts' time.
        try Self.upsertStatements.execute(RecordOrder.sorted(records), db) { record, binder in
            try binder.bind(record.tenant.rawValue)
            try binder.bind(record.metric.rawValue)
            try binder.bind(record.periodStart.millisecondsSinceEpoch)
            try binder.bind(record.periodEnd.millisecondsSinceEpoch)
            try binder.bind(record.usage)
            try binder.bind(record.updatedAt.millisecondsSinceEpoch)
        }
    }

    /// The statements of ``upsert(_:_:)``: a record updates the stored one of its (tenant, metric, period start).
    private static let upsertStatements = MultiRowInsert(
        into: "usage_records (tenant_id, metric_code, period_start, period_end, current_usage, updated_at)",
        columns: 6,
        conflictClause: """
            ON CONFLICT (tenant_id, metric_code, period_start) DO UPDATE SET
                period_end = excluded.period_end, current_usage = excluded.current_usage,
                updated_at = excluded.updated_at
            """
    )

    static func decode(_ row: Row) throws -> UsageRecord {
        UsageRecord(
            tenant: try TenantID(row["tenant_id"]),
            metric: try MetricCode(row["metric_code"]),
            periodStart: Timestamp(millisecondsSinceEpoch: row["period_start"]),
            periodEnd: Timestamp(millisecondsSinceEpoch: row["period_end"]),
            usage: row["current_usage"],
            updatedAt: Timestamp(millisecondsSinceEpoch: row["updated_at"])
        )
    }
}

/// Row mapping of the `usage_events` table: append-only, except for what a tenant reset deletes.
enum StoredEvent {
    /// The `node_meta` key of the highest sequence ever stored, kept when a reset may delete the highest events.
    static let highestSequenceKey = "highest_event_sequence"

    /// The sequence block of an event, the first column of the events' one index (`usage_events_by_block_tenant`,
    /// created by migration v2 with this very expression): 65,536 consecutive sequences per block.
    ///
    /// The index is (block, tenant, sequence): a flush's events all fall in the last block or two, so they dirty
    /// only those blocks' index pages however many events and tenants are stored, where an index led by the tenant
    /// took each event to a random page. A query for one tenant seeks the index once per block (about 15 seeks per
    /// million stored events), through ``blocksAfter``.
    static let block = "(sequence >> 16)"

    /// The common table expression `event_blocks(block)` of a `WITH RECURSIVE` clause: every ``block`` from the one
    /// of the first stored event whose sequence is above the statement's first argument to the one of the last
    /// stored event, in ascending order; the single block NULL, which no event is in, when there is no such event.
    ///
    /// A query for one tenant filters on `\(block) IN event_blocks AND tenant_id = ?`, which SQLite answers with
    /// one index seek per block; ordering by `\(block), sequence` (the same order as by sequence) then needs no sort.
    static let blocksAfter = """
        event_blocks(block) AS (
            SELECT (SELECT MIN(sequence) FROM usage_events WHERE sequence > ?) >> 16
            UNION ALL
            SELECT block + 1 FROM event_blocks WHERE block < (SELECT MAX(sequence) FROM usage_events) >> 16
        )
        """

    /// Keeps the highest stored sequence in `node_meta` before events are deleted, so that
    /// ``highestSequence(_:)`` never goes back: sequences are the audit cursor and must not be handed out twice.
    static func rememberHighestSequence(_ db: Database) throws {
        guard let highest = try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM usage_events") else { return }
        try db.execute(
            sql: """
                INSERT INTO node_meta (key, value) VALUES (?, ?)
                ON CONFLICT (key) DO UPDATE SET value = MAX(value, excluded.value)
                """,
            arguments: [Self.highestSequenceKey, highest]
        )
    }

    /// The highest sequence ever stored, deleted events included (0 for none).
    static func highestSequence(_ db: Database) throws -> Int64 {
        let stored = try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM usage_events") ?? 0
        let query = "SELECT value FROM node_meta WHERE key = ?"
        let remembered = try Int64.fetchOne(db, sql: query, arguments: [Self.highestSequenceKey]) ?? 0
        return max(stored, remembered)
    }

    /// The statement of ``SQLiteQuotaStore/events(_:)``: the query's events (the tenant's, of the metric, created
    /// within the range, after the cursor) in sequence order, at most one more than the page size.
    static func pageStatement(_ query: EventQuery) -> (sql: String, arguments: StatementArguments) {
        var sql = """
            WITH RECURSIVE \(Self.blocksAfter)
            SELECT * FROM usage_events WHERE \(Self.block) IN event_blocks AND tenant_id = ?
            """
        var arguments: StatementArguments = [query.afterSequence ?? Int64.min, query.tenant.rawValue]
        if let metric = query.metric {
            sql += " AND metric_code = ?"
            arguments += [metric.rawValue]
        }
        if let from = query.from {
            sql += " AND created_at >= ?"
            arguments += [from.millisecondsSinceEpoch]
        }
        if let to = query.to {
            sql += " AND created_at < ?"
            arguments += [to.millisecondsSinceEpoch]
        }
        if let after = query.afterSequence {
            sql += " AND sequence > ?"
            arguments += [after]
        }
        sql += " ORDER BY \(Self.block), sequence LIMIT ?"
        arguments += [query.limit + 1]
        return (sql, arguments)
    }

    static func insert(_ events: [UsageEvent], _ db: Database) throws {
        try Self.insertStatements.execute(events, db) { event, binder in
            try binder.bind(event.sequence)
            try binder.bind(event.eventID)
            try binder.bind(event.tenant.rawValue)
            try binder.bind(event.metric.rawValue)
            try binder.bind(event.amount)
            try binder.bind(event.periodStart.millisecondsSinceEpoch)
            try binder.bind(event.idempotencyKey?.rawValue)
            try binder.bind(event.metadata)
            try binder.bind(event.createdAt.millisecondsSinceEpoch)
        }
    }

    /// The statements of ``insert(_:_:)``. `OR IGNORE`: a batch retried after a failure that SQLite actually committed
    /// must not fail forever.
    private static let insertStatements = MultiRowInsert(
        into: """
            usage_events (sequence, event_id, tenant_id, metric_code, amount, period_start, idempotency_key,
                          metadata, created_at)
            """,
        orIgnore: true,
        columns: 9
    )

    static func decode(_ row: Row) throws -> UsageEvent {
        let key: String? = row["idempotency_key"]
        return UsageEvent(
            eventID: row["event_id"],
            sequence: row["sequence"],
            tenant: try TenantID(row["tenant_id"]),
            metric: try MetricCode(row["metric_code"]),
            amount: row["amount"],
            periodStart: Timestamp(millisecondsSinceEpoch: row["period_start"]),
            idempotencyKey: try key.map(IdempotencyKey.init),
            metadata: row["metadata"],
            createdAt: Timestamp(millisecondsSinceEpoch: row["created_at"])
        )
    }
}

/// Row mapping of the `idempotency_keys` table; the decision is stored as JSON.
enum StoredIdempotency {
    static func upsert(_ entries: [IdempotencyEntry], _ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO idempotency_keys (tenant_id, idempotency_key, fingerprint, decision, created_at)
                VALUES (?, ?, ?, ?, ?)
                """
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for entry in entries {
            let decision = String(decoding: try encoder.encode(entry.decision), as: UTF8.self)
            try statement.execute(arguments: [
                entry.tenant.rawValue, entry.key.rawValue, Int64(bitPattern: entry.fingerprint), decision,
                entry.createdAt.millisecondsSinceEpoch,
            ])
        }
    }

    static func decode(_ row: Row) throws -> IdempotencyEntry {
        let decision: String = row["decision"]
        let fingerprint: Int64 = row["fingerprint"]
        return IdempotencyEntry(
            tenant: try TenantID(row["tenant_id"]),
            key: try IdempotencyKey(row["idempotency_key"]),
            fingerprint: UInt64(bitPattern: fingerprint),
            decision: try JSONDecoder().decode(Decision.self, from: Data(decision.utf8)),
            createdAt: Timestamp(millisecondsSinceEpoch: row["created_at"])
        )
    }
}

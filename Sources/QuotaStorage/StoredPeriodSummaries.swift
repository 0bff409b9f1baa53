import GRDB
import QuotaCore

/// The query behind ``SQLiteQuotaStore/periodSummaries(tenant:)``.
enum StoredPeriodSummaries {
    /// `quota_event_digest(event_id)`: the aggregate ``StoredPeriodSummary/eventDigest`` of a group of usage events,
    /// as an INTEGER (the digest's bit pattern). Registered on every connection of the store.
    static let eventDigestFunction = DatabaseFunction(
        "quota_event_digest",
        argumentCount: 1,
        pure: true,
        aggregate: EventDigest.self
    )

    /// The state of one `quota_event_digest` aggregation: the wrapping sum of the event ids' digests.
    struct EventDigest: DatabaseAggregate {
        struct NotAnEventID: Error {}

        var digest: UInt64 = 0

        init() {}

        mutating func step(_ dbValues: [DatabaseValue]) throws {
            guard let eventID = String.fromDatabaseValue(dbValues[0]) else { throw NotAnEventID() }
            self.digest = self.digest &+ StoredPeriodSummary.eventIDDigest(eventID)
        }

        func finalize() throws -> (any DatabaseValueConvertible)? { Int64(bitPattern: self.digest) }
    }

    /// The statement of ``fetch(tenant:_:)``.
    static func statement(tenant: TenantID?) -> (sql: String, arguments: StatementArguments) {
        let blocks = tenant == nil ? "" : "RECURSIVE \(StoredEvent.blocksAfter),"
        let eventFilter = tenant == nil ? "" : "WHERE \(StoredEvent.block) IN event_blocks AND tenant_id = ?"
        let recordFilter = tenant == nil ? "" : "WHERE r.tenant_id = ?"
        let arguments: StatementArguments = tenant.map { [Int64.min, $0.rawValue, $0.rawValue] } ?? []
        let sql = """
            WITH \(blocks) event_groups AS (
                SELECT tenant_id, metric_code, period_start, SUM(amount) AS event_sum, COUNT(*) AS event_count,
                       quota_event_digest(event_id) AS event_digest
                FROM usage_events
                \(eventFilter)
                GROUP BY tenant_id, metric_code, period_start
            )
            SELECT r.tenant_id, r.metric_code, r.period_start, r.current_usage AS record_usage,
                   COALESCE(e.event_sum, 0) AS event_sum, COALESCE(e.event_count, 0) AS event_count,
                   COALESCE(e.event_digest, 0) AS event_digest
            FROM usage_records AS r
            LEFT JOIN event_groups AS e
                ON e.tenant_id = r.tenant_id AND e.metric_code = r.metric_code AND e.period_start = r.period_start
            \(recordFilter)
            UNION ALL
            SELECT e.tenant_id, e.metric_code, e.period_start, NULL, e.event_sum, e.event_count, e.event_digest
            FROM event_groups AS e
            WHERE NOT EXISTS (
                SELECT 1 FROM usage_records AS r
                WHERE r.tenant_id = e.tenant_id AND r.metric_code = e.metric_code AND r.period_start = e.period_start
            )
            ORDER BY 1, 2, 3
            """
        return (sql, arguments)
    }

    /// One row per (tenant, metric, period start) with a usage record or usage events, ordered by the BINARY
    /// collation (the strings' bytes), optionally for one tenant.
    ///
    /// The events are grouped once (the CTE is used twice, so SQLite materializes it); records with their
    /// events come from a left join, then the event groups without a record.
    static func fetch(tenant: TenantID?, _ db: Database) throws -> [StoredPeriodSummary] {
        let (sql, arguments) = Self.statement(tenant: tenant)
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        var summaries: [StoredPeriodSummary] = []
        while let row = try rows.next() {
            let digest: Int64 = row["event_digest"]
            summaries.append(
                StoredPeriodSummary(
                    tenant: try TenantID(row["tenant_id"]),
                    metric: try MetricCode(row["metric_code"]),
                    periodStart: Timestamp(millisecondsSinceEpoch: row["period_start"]),
                    recordUsage: row["record_usage"],
                    eventSum: row["event_sum"],
                    eventCount: row["event_count"],
                    eventDigest: UInt64(bitPattern: digest)
                )
            )
        }
        return summaries
    }
}

import GRDB

/// The versioned schema of a node's SQLite file.
///
/// Migrations run in order, each in its own transaction, and are recorded in the file
/// (GRDB's `grdb_migrations` table). A migration that has been released is never edited; a schema
/// change is a new migration appended here. Times are UTC milliseconds since the Unix epoch (INTEGER);
/// amounts are INTEGER in the metric's units.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: limits, usage records, usage events, idempotency keys") { db in
            try db.execute(
                sql: """
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
        }
        return migrator
    }
}

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
        // The write-behind flush inserts the events of random tenants: indexes led by tenant_id took each event to a
        // random leaf page, so a batch dirtied (and the WAL rewrote) about one index page per event once the table
        // outgrew a batch. The events' one index now leads with the sequence block, 65,536 sequences (see
        // `StoredEvent.block`, whose expression must stay this one): a batch's entries land in the current block's
        // pages only, whatever the size of the table or the number of tenants. usage_records loses two indexes no
        // query used and becomes a WITHOUT ROWID table: an upsert touches one B-tree instead of four.
        migrator.registerMigration("v2: usage events indexed by sequence block, usage records without rowid") { db in
            try db.execute(
                sql: """
                    DROP INDEX usage_events_by_metric_time;
                    DROP INDEX usage_events_by_tenant_sequence;
                    CREATE INDEX usage_events_by_block_tenant ON usage_events (sequence >> 16, tenant_id, sequence);
                    CREATE TABLE usage_records_v2 (
                        tenant_id TEXT NOT NULL,
                        metric_code TEXT NOT NULL,
                        period_start INTEGER NOT NULL,
                        period_end INTEGER NOT NULL CHECK (period_end > period_start),
                        current_usage INTEGER NOT NULL CHECK (current_usage >= 0),
                        updated_at INTEGER NOT NULL,
                        PRIMARY KEY (tenant_id, metric_code, period_start)
                    ) WITHOUT ROWID;
                    INSERT INTO usage_records_v2 (tenant_id, metric_code, period_start, period_end, current_usage,
                                                  updated_at)
                    SELECT tenant_id, metric_code, period_start, period_end, current_usage, updated_at
                    FROM usage_records;
                    DROP TABLE usage_records;
                    ALTER TABLE usage_records_v2 RENAME TO usage_records;
                    """
            )
        }
        return migrator
    }
}

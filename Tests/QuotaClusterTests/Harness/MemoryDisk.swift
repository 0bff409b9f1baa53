import QuotaCore

/// What a test node's storage holds: flush batches applied like SQLite applies them.
struct MemoryDisk {
    struct RecordKey: Hashable, Comparable {
        let tenant: TenantID
        let metric: MetricCode
        let periodStart: Timestamp

        static func < (lhs: RecordKey, rhs: RecordKey) -> Bool {
            (lhs.tenant, lhs.metric, lhs.periodStart) < (rhs.tenant, rhs.metric, rhs.periodStart)
        }
    }

    var incarnation: Int64 = 0
    var limits: [String: Limit] = [:]
    var records: [RecordKey: UsageRecord] = [:]
    var events: [UsageEvent] = []
    var idempotency: [String: IdempotencyEntry] = [:]

    mutating func persist(_ batch: FlushBatch) {
        for reset in batch.resets {
            self.limits = self.limits.filter { $0.value.tenant != reset.tenant }
            self.idempotency = self.idempotency.filter { $0.value.tenant != reset.tenant }
            for period in reset.periods {
                self.records = self.records.filter {
                    !($0.key.tenant == reset.tenant && $0.key.metric == period.metric
                        && $0.key.periodStart >= period.periodStart)
                }
                self.events.removeAll {
                    $0.tenant == reset.tenant && $0.metric == period.metric && $0.periodStart >= period.periodStart
                }
            }
        }
        for change in batch.limitChanges {
            switch change {
            case .set(let limit): self.limits["\(limit.tenant)/\(limit.metric)"] = limit
            case .removed(let tenant, let metric): self.limits["\(tenant)/\(metric)"] = nil
            }
        }
        for record in batch.records {
            self.records[RecordKey(tenant: record.tenant, metric: record.metric, periodStart: record.periodStart)] =
                record
        }
        self.events += batch.events
        for entry in batch.idempotency { self.idempotency["\(entry.tenant)/\(entry.key)"] = entry }
    }

    func recovered(now: Timestamp) -> RecoveredState {
        RecoveredState(
            limits: self.limits.values.sorted { ($0.tenant, $0.metric) < ($1.tenant, $1.metric) },
            records: self.records.keys.sorted().compactMap { self.records[$0] }.filter { $0.periodEnd > now },
            idempotency: self.idempotency.keys.sorted().compactMap { self.idempotency[$0] },
            nextEventSequence: (self.events.map(\.sequence).max() ?? 0) + 1
        )
    }

    func events(of periods: [UsageRecord]) -> [UsageEvent] {
        let wanted = Set(periods.map { RecordKey(tenant: $0.tenant, metric: $0.metric, periodStart: $0.periodStart) })
        return self.events.filter {
            wanted.contains(RecordKey(tenant: $0.tenant, metric: $0.metric, periodStart: $0.periodStart))
        }
    }

    /// Usage per (tenant, metric, period) as the sum of the stored events.
    func eventSums() -> [RecordKey: Int64] {
        var sums: [RecordKey: Int64] = [:]
        for event in self.events {
            sums[RecordKey(tenant: event.tenant, metric: event.metric, periodStart: event.periodStart), default: 0] +=
                event.amount
        }
        return sums
    }
}

import QuotaCore
import QuotaJSON
import QuotaNode

/// JSON shapes of API responses. Times are RFC 3339 UTC strings; absent values are explicit `null`s.
enum JSONBody {
    static func decision(_ decision: Decision, servedBy: String) -> JSONValue {
        .object([
            "allowed": .bool(decision.allowed),
            "replayed": .bool(decision.replayed),
            "tenant": .string(decision.tenant),
            "served_by": .string(servedBy),
            "event_id": decision.eventID.map(JSONValue.string) ?? .null,
            "retry_after": decision.retryAfterMilliseconds.map { .int(RateLimitHeaders.seconds($0)) } ?? .null,
            "results": .array(decision.results.map(self.item)),
        ])
    }

    static func item(_ item: Decision.Item) -> JSONValue {
        .object([
            "metric": .string(item.metric),
            "allowed": .bool(item.allowed),
            "enforcement": .string(item.enforcement.rawValue),
            "usage": .int(item.usage),
            "limit": item.limit.map(JSONValue.int) ?? .null,
            "remaining": item.remaining.map(JSONValue.int) ?? .null,
            "exceeded": .bool(item.exceeded),
            "overage": .int(item.overage),
            "period_start": .string(RFC3339.format(item.periodStart)),
            "period_end": .string(RFC3339.format(item.periodEnd)),
        ])
    }

    static func limit(_ limit: Limit) -> JSONValue {
        var anchor = JSONValue.null
        if let value = limit.period.anchor {
            var fields: [String: JSONValue] = ["day": .int(Int64(value.day))]
            if let month = value.month { fields["month"] = .int(Int64(month)) }
            anchor = .object(fields)
        }
        return .object([
            "tenant": .string(limit.tenant.rawValue),
            "metric": .string(limit.metric.rawValue),
            "limit": .int(limit.value),
            "period": .string(limit.period.unit.rawValue),
            "enforcement": .string(limit.enforcement.rawValue),
            "anchor": anchor,
            "time_zone": .string(limit.period.timeZone.identifier),
            "audit": .string(limit.audit.rawValue),
        ])
    }

    static func status(tenant: TenantID, metrics: [MetricStatus], servedBy: String) -> JSONValue {
        .object([
            "tenant": .string(tenant.rawValue),
            "served_by": .string(servedBy),
            "metrics": .array(
                metrics.map { status in
                    .object([
                        "metric": .string(status.metric.rawValue),
                        "usage": .int(status.usage),
                        "limit": status.limit.map(JSONValue.int) ?? .null,
                        "remaining": status.remaining.map(JSONValue.int) ?? .null,
                        "enforcement": .string(status.enforcement.rawValue),
                        "period": .string(status.periodUnit.rawValue),
                        "period_start": .string(RFC3339.format(status.period.start)),
                        "period_end": .string(RFC3339.format(status.period.end)),
                        "exceeded": .bool(status.exceeded),
                    ])
                }
            ),
        ])
    }

    static func events(tenant: TenantID, page: EventPage) -> JSONValue {
        .object([
            "tenant": .string(tenant.rawValue),
            "events": .array(
                page.events.map { event in
                    .object([
                        "event_id": .string(event.eventID),
                        "sequence": .int(event.sequence),
                        "metric": .string(event.metric.rawValue),
                        "amount": .int(event.amount),
                        "period_start": .string(RFC3339.format(event.periodStart)),
                        "idempotency_key": event.idempotencyKey.map { .string($0.rawValue) } ?? .null,
                        "metadata": event.metadata.flatMap { try? JSONValue(parsing: Array($0.utf8)) } ?? .null,
                        "created_at": .string(RFC3339.format(event.createdAt)),
                    ])
                }
            ),
            "next_cursor": page.nextCursor.map { .string(String($0)) } ?? .null,
        ])
    }

    static func records(tenant: TenantID, records: [UsageRecord]) -> JSONValue {
        .object([
            "tenant": .string(tenant.rawValue),
            "records": .array(
                records.map { record in
                    .object([
                        "metric": .string(record.metric.rawValue),
                        "period_start": .string(RFC3339.format(record.periodStart)),
                        "period_end": .string(RFC3339.format(record.periodEnd)),
                        "usage": .int(record.usage),
                        "updated_at": .string(RFC3339.format(record.updatedAt)),
                    ])
                }
            ),
        ])
    }

    static func error(_ error: QuotaError) -> JSONValue {
        .object(["error": .object(["code": .string(error.code.rawValue), "message": .string(error.message)])])
    }
}

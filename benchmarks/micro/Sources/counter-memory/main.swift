import QuotaCore

// Resident memory per active (tenant, metric) counter: the growth of the resident size (from /proc/self/statm)
// of a ledger taken from empty to `tenants × metrics` counters, each with a hard limit and one applied consume,
// write-behind batches confirmed along the way. Usage: counter-memory [tenants] [metrics] [tenant id bytes]
let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let tenantCount = arguments.count > 0 ? arguments[0] : 1_000_000
let metricCount = arguments.count > 1 ? arguments[1] : 1
let tenantIDBytes = max(arguments.count > 2 ? arguments[2] : 14, 14)
let now = Timestamp(millisecondsSinceEpoch: 1_800_000_030_000)
let metrics = try (0..<metricCount).map { try MetricCode("metric_\($0)") }
let period = try PeriodSpec(unit: .minute)

/// The id of tenant `index`: `tenant-` and the zero-padded index, padded to `tenantIDBytes` bytes.
func tenantID(_ index: Int) throws -> TenantID {
    let digits = String(index)
    return try TenantID("tenant-" + String(repeating: "0", count: tenantIDBytes - 7 - digits.count) + digits)
}

func flush(_ ledger: inout QuotaLedger) {
    guard ledger.takeFlushBatch() != nil else { return }
    ledger.flushSucceeded()
}

let residentBefore = ResidentMemory.residentBytes()
var ledger = QuotaLedger(eventIDPrefix: "memory-1", now: now)
for index in 0..<tenantCount {
    let tenant = try tenantID(index)
    for metric in metrics {
        let limit = try Limit(tenant: tenant, metric: metric, value: 1_000, period: period, enforcement: .hard)
        try ledger.setLimit(limit, now: now)
    }
    let items = metrics.map { UsageRequest.Item(metric: $0, amount: 1) }
    _ = try ledger.consume(UsageRequest(tenant: tenant, items: items), now: now)
    if index % 10_000 == 0 { flush(&ledger) }
}
flush(&ledger)
let counters = tenantCount * metricCount
let resident = ResidentMemory.residentBytes() - residentBefore
print(
    "counters=\(counters) tenants=\(tenantCount) metrics=\(metricCount) tenant_id_bytes=\(tenantIDBytes)"
        + " resident_bytes=\(resident) resident_per_counter=\(resident / counters)"
)
withExtendedLifetime(ledger) {}

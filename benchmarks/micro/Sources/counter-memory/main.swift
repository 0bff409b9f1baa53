import Foundation
import QuotaCore

// Resident memory per active (tenant, metric) counter: the growth of the resident size (from /proc/self/statm)
// of a ledger taken from empty to `tenants × metrics` counters, each with a hard limit and one applied consume,
// write-behind batches confirmed along the way. Usage: counter-memory [tenants] [metrics] [tenant id bytes]
let usage = "usage: counter-memory [tenants 1-10000000] [metrics per tenant 1-100] [tenant id bytes 14-128]"

/// Argument `index` (from 0) as a whole number in `range`, `fallback` when absent; exits with status 2 otherwise.
func argument(_ index: Int, in range: ClosedRange<Int>, default fallback: Int) -> Int {
    let given = CommandLine.arguments.dropFirst()
    guard given.count <= 3 else { refuse("at most three arguments, got \(given.count)") }
    guard index < given.count else { return fallback }
    let text = given[given.startIndex + index]
    guard let value = Int(text), range.contains(value) else {
        refuse("'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
    }
    return value
}

/// Prints `message` and the usage to standard error and exits with status 2.
func refuse(_ message: String) -> Never {
    FileHandle.standardError.write(Data("counter-memory: \(message)\n\(usage)\n".utf8))
    exit(2)
}

let tenantCount = argument(0, in: 1...10_000_000, default: 1_000_000)
let metricCount = argument(1, in: 1...100, default: 1)
let tenantIDBytes = argument(2, in: 14...TenantID.maximumBytes, default: 14)
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
    _ = try ledger.consume(UsageRequest(tenant: tenant, items: SmallArray(items)), now: now)
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

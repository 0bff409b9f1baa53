import Benchmark
import QuotaCore

/// The domain decision in process: `QuotaLedger.consume` of one item against a hard per-minute limit, tenants
/// drawn uniformly from 1,000 (the ledger fits in the CPU caches) or 100,000 (it does not). One scaled iteration is
/// one decision.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .cpuTotal, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(5),
        maxIterations: 1_000_000
    )

    let cases: [(name: String, tenants: Int, limit: Int64, audit: AuditLevel)] = [
        ("Ledger consume hard allowed, aggregate, 1k tenants", 1_000, Int64.max / 2, .aggregate),
        ("Ledger consume hard allowed, aggregate, 100k tenants", 100_000, Int64.max / 2, .aggregate),
        ("Ledger consume hard allowed, full audit, 100k tenants", 100_000, Int64.max / 2, .full),
        ("Ledger consume hard denied, 100k tenants", 100_000, 0, .aggregate),
    ]
    for entry in cases {
        let workload = LedgerWorkload(tenantCount: entry.tenants, limitValue: entry.limit, audit: entry.audit)
        Benchmark(entry.name) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try workload.consumeNext())
            }
        } setup: {
            try workload.prepare()
        }
    }
}

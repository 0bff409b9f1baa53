import Benchmark
import QuotaCore

/// The write-behind flush: `SQLiteQuotaStore.persist` of one batch (one write transaction) holding the changes of
/// 5,000 consumes. Only the persist is measured; building the batch in the ledger is not. Besides the time per
/// batch, each iteration reports the rows and usage events written per second of that persist.
let benchmarks: @Sendable () -> Void = {
    let rowsPerSecond = BenchmarkMetric.custom("rows/s", polarity: .prefersLarger, useScalingFactor: false)
    let eventsPerSecond = BenchmarkMetric.custom("usage events/s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, rowsPerSecond, eventsPerSecond],
        scalingFactor: .one,
        maxDuration: .seconds(10),
        maxIterations: 200
    )

    for (tenants, audit) in [(100_000, AuditLevel.full), (100_000, .aggregate), (1_000, .full), (1_000, .aggregate)] {
        let workload = FlushWorkload(tenantCount: tenants, audit: audit)
        Benchmark("Flush 5,000 consumes of \(tenants / 1_000)k tenants, audit \(audit.rawValue)") { benchmark in
            let batch = try workload.nextBatch()
            guard let store = workload.store else { fatalError("the setup opens the store") }
            let clock = ContinuousClock()
            benchmark.startMeasurement()
            let started = clock.now
            try await store.persist(batch)
            let elapsed = started.duration(to: clock.now)
            benchmark.stopMeasurement()
            workload.confirm()
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let rows = batch.records.count + batch.events.count + batch.idempotency.count
            benchmark.measurement(rowsPerSecond, Int(Double(rows) / seconds))
            benchmark.measurement(eventsPerSecond, Int(Double(batch.events.count) / seconds))
        } setup: {
            try await workload.prepare()
        } teardown: {
            try workload.remove()
        }
    }
}

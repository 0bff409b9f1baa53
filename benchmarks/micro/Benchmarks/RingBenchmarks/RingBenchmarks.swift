import Benchmark
import QuotaCluster
import QuotaCore

/// `HashRing.placement(of:)`: the multi-probe lookup (5 probes, 128 virtual nodes per member) and the walk to
/// the follower, for tenants cycled from 65,536 ids. One scaled iteration is one lookup.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .cpuTotal, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(5),
        maxIterations: 1_000_000
    )

    let tenants = (0..<65_536).map { try! TenantID("tenant-\($0)") }
    for memberCount in [3, 10] {
        let ring = try! HashRing(members: (1...memberCount).map { try! NodeID("n\($0)") })
        Benchmark("Ring placement, \(memberCount) members") { benchmark in
            var index = 0
            for _ in benchmark.scaledIterations {
                blackHole(ring.placement(of: tenants[index]))
                index = (index + 1) & 0xFFFF
            }
        }
        Benchmark("Ring shard index, \(memberCount) members") { benchmark in
            var index = 0
            for _ in benchmark.scaledIterations {
                blackHole(ring.shardIndex(of: tenants[index]))
                index = (index + 1) & 0xFFFF
            }
        }
    }
}

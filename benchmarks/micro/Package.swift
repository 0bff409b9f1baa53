// swift-tools-version: 6.1
import PackageDescription

// The micro-benchmarks of quota-cluster, in a package of their own so that the root package's `swift build` and
// `swift test` never build ordo-one/benchmark. Run from the repository root:
//   swift package --package-path benchmarks/micro --disable-sandbox benchmark
// See docs/performance.md.
let benchmarkTarget: (String, [Target.Dependency]) -> Target = { name, dependencies in
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "benchmark")] + dependencies,
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "quota-micro-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "quota-cluster", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        benchmarkTarget("LedgerBenchmarks", [.product(name: "QuotaCore", package: "quota-cluster")]),
        benchmarkTarget(
            "RingBenchmarks",
            [
                .product(name: "QuotaCore", package: "quota-cluster"),
                .product(name: "QuotaCluster", package: "quota-cluster"),
            ]
        ),
        benchmarkTarget(
            "WireBenchmarks",
            [
                .product(name: "QuotaWire", package: "quota-cluster"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        benchmarkTarget(
            "FlushBenchmarks",
            [
                .product(name: "QuotaCore", package: "quota-cluster"),
                .product(name: "QuotaStorage", package: "quota-cluster"),
            ]
        ),
        // Resident memory per counter, read from /proc/self/statm (see docs/performance.md).
        .executableTarget(
            name: "counter-memory",
            dependencies: [.product(name: "QuotaCore", package: "quota-cluster")]
        ),
    ]
)

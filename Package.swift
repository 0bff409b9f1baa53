// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    // Release builds skip the run-time exclusivity checks of class properties and globals, including those of
    // SwiftNIO's inlinable `ByteBuffer` code specialised into our modules: a thread-local access set per field read
    // or written, 5% of a node's CPU under load (docs/performance.md). Debug builds, which the tests run, keep them.
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "quota-cluster",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quotad", targets: ["quotad"]),
        .executable(name: "quotactl", targets: ["quotactl"]),
        .library(name: "QuotaCore", targets: ["QuotaCore"]),
        .library(name: "QuotaCluster", targets: ["QuotaCluster"]),
        .library(name: "QuotaStorage", targets: ["QuotaStorage"]),
        .library(name: "QuotaWire", targets: ["QuotaWire"]),
        .executable(name: "quota-sim", targets: ["quota-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        // Layer 1: the domain core. Pure Swift; Foundation only for the IANA time zone database.
        .target(
            name: "QuotaCore",
            dependencies: [
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 2: the cluster core (so far the consistent-hash ring). Pure, like QuotaCore.
        .target(
            name: "QuotaCluster",
            dependencies: ["QuotaCore", .product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: swiftSettings
        ),
        // JSON values for the HTTP API, metadata and quotactl (Foundation's coders, no other dependency).
        .target(name: "QuotaJSON", swiftSettings: swiftSettings),
        // Layer 4: the binary frame format, encoded and decoded without I/O.
        .target(
            name: "QuotaWire",
            dependencies: ["QuotaCore", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // Layer 5 (part): the binary TCP listener that speaks QuotaWire.
        .target(
            name: "QuotaTransport",
            dependencies: [
                "QuotaWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 3: SQLite through GRDB, migrations, the write-behind batch writer, recovery.
        .target(
            name: "QuotaStorage",
            dependencies: [
                "QuotaCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, which GRDB is built on: the write-behind flush binds its values through it.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 5: the node runtime: the quota engine, the write-behind flusher, the binary service.
        .target(
            name: "QuotaNode",
            dependencies: [
                "QuotaCore", "QuotaCluster", "QuotaJSON", "QuotaStorage", "QuotaWire", "QuotaTransport",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 5: the HTTP/JSON API.
        .target(
            name: "QuotaHTTP",
            dependencies: [
                "QuotaCore", "QuotaCluster", "QuotaJSON", "QuotaNode",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 6: executables.
        .executableTarget(
            name: "quotad",
            dependencies: [
                "QuotaCore", "QuotaCluster", "QuotaNode", "QuotaHTTP", "QuotaStorage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "quotactl",
            dependencies: [
                "QuotaCore", "QuotaJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The load generator: workload, load shapes, the binary, HTTP and RESP clients, the report.
        .target(
            name: "QuotaBench",
            dependencies: [
                "QuotaCore", "QuotaWire", "QuotaTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "quota-bench",
            dependencies: [
                "QuotaBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 7: the deterministic simulator: the real cluster and domain cores on a simulated clock, network
        // and disk, all from one seed (Simulation/README.md). No NIO, no SQLite, no Foundation.
        .target(
            name: "QuotaSimulation",
            dependencies: [
                "QuotaCore", "QuotaCluster",
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            path: "Simulation/Sources/QuotaSimulation",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "quota-sim",
            dependencies: [
                "QuotaSimulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Simulation/Sources/quota-sim",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuotaSimulationTests",
            dependencies: ["QuotaSimulation", "QuotaCluster", "QuotaCore", "quota-sim"],
            path: "Simulation/Tests/QuotaSimulationTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "QuotaCoreTests", dependencies: ["QuotaCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "QuotaClusterTests",
            dependencies: ["QuotaCluster", "QuotaCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuotaWireTests",
            dependencies: ["QuotaCore", "QuotaWire", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuotaTransportTests",
            dependencies: [
                "QuotaCore", "QuotaTransport", "QuotaWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuotaStorageTests",
            dependencies: ["QuotaStorage", "QuotaCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuotaNodeTests",
            dependencies: [
                "QuotaNode", "QuotaCluster", "QuotaCore", "QuotaStorage", "QuotaWire", "QuotaTransport",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuotaHTTPTests",
            dependencies: [
                "QuotaHTTP", "QuotaNode", "QuotaCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // Starts the real quotad and quotactl binaries; depending on them makes `swift test` build them.
        .testTarget(
            name: "QuotadTests",
            dependencies: [
                "quotad", "quotactl", "QuotaJSON",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Also starts the real quota-bench binary; depending on it makes `swift test` build it.
        .testTarget(
            name: "QuotaBenchTests",
            dependencies: [
                "quota-bench", "QuotaBench", "QuotaCore", "QuotaNode", "QuotaStorage", "QuotaTransport", "QuotaWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

import Foundation
import Logging
import NIOCore
import NIOPosix
import QuotaBench
import QuotaCore
import QuotaNode
import QuotaStorage
import QuotaTransport
import Synchronization
import Testing

/// A clock the test holds still, so that no limit period ends during a run.
final class FrozenClock: Sendable {
    let now = Timestamp(millisecondsSinceEpoch: 1_795_000_000_000)
}

/// Sets the bench's planned limits directly on an engine, where the real bench uses quotad's HTTP API.
struct EngineLimitInstaller: LimitInstaller {
    let engine: QuotaEngine

    func install(_ limits: [PlannedLimit]) async throws(BenchError) {
        for planned in limits {
            do {
                try await self.engine.setLimit(
                    Limit(
                        tenant: TenantID(planned.tenant),
                        metric: MetricCode(planned.metric),
                        value: planned.limit,
                        period: PeriodSpec(unit: PeriodUnit(rawValue: planned.period.rawValue) ?? .minute),
                        enforcement: .hard,
                        audit: AuditLevel(rawValue: planned.audit.rawValue) ?? .full
                    )
                )
            } catch {
                throw .setupFailed(tenant: planned.tenant, reason: "\(error)")
            }
        }
    }
}

/// Runs `body` with a real engine (SQLite in a temporary directory, a frozen clock) behind a `WireServer` on
/// loopback, as `Tests/QuotaNodeTests/WireAPITests.swift` does; `body` gets the engine and the server's port.
func withWireNode(_ body: (QuotaEngine, Int) async throws -> Void) async throws {
    try await withWireNode(listeners: 1) { engine, ports in try await body(engine, ports[0]) }
}

/// Runs `body` with a real engine behind `listeners` `WireServer`s on loopback, each on a port of its own;
/// `body` gets the engine and the servers' ports. `unknownMetrics` is the engine's policy for metrics without a
/// limit (`.reject` answers every request for one with an error).
func withWireNode(
    listeners: Int,
    unknownMetrics: LedgerConfiguration.UnknownMetricPolicy = .track,
    _ body: (QuotaEngine, [Int]) async throws -> Void
) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quota-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let clock = FrozenClock()
    let engine = try await QuotaEngine(
        configuration: try NodeConfiguration(nodeID: "t1", ledger: LedgerConfiguration(unknownMetrics: unknownMetrics)),
        store: try SQLiteQuotaStore(path: directory.appendingPathComponent("quota.sqlite").path),
        clock: { clock.now },
        logger: logger
    )
    var servers: [WireServer] = []
    var ports: [Int] = []
    for _ in 0..<listeners {
        let server = WireServer(
            group: MultiThreadedEventLoopGroup.singleton,
            handler: WireQuotaHandler(engine: engine),
            logger: logger
        )
        servers.append(server)
        ports.append(try await server.start(host: "127.0.0.1", port: 0))
    }
    do {
        try await body(engine, ports)
    } catch {
        for server in servers { try? await server.close() }
        throw error
    }
    for server in servers { try await server.close() }
}

/// A port that was just free: bound by the operating system's choice, then closed.
func closedPort() async throws -> Int {
    let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .bind(host: "127.0.0.1", port: 0)
        .get()
    let port = try #require(listener.localAddress?.port)
    try await listener.close()
    return port
}

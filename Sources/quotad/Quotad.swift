import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import QuotaCluster
import QuotaCore
import QuotaHTTP
import QuotaNode
import QuotaStorage
import ServiceLifecycle
import UnixSignals

/// `quotad`: one quota node. Serves the HTTP/JSON API and the binary protocol, keeps counters in memory
/// and writes them behind to SQLite in `--data-dir`. SIGTERM or SIGINT stops the listeners, flushes
/// everything, then exits.
@main
struct Quotad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotad",
        abstract: "A quota node: meters and enforces per-tenant usage over HTTP and a binary TCP protocol.",
        discussion: "Every flag can also be set with the QUOTAD_* environment variable named in its help."
    )

    @Option(help: "This node's id, used in usage event ids and served_by. (QUOTAD_NODE_ID)")
    var nodeID: String = Environment.string("QUOTAD_NODE_ID") ?? "n1"

    // The options other than the node id are optional: `httpPortSetting` and its siblings (Quotad+Settings.swift)
    // resolve them (flag, else variable, else default) and remember which one it was, for the messages.
    //
    // The numeric options take the next argument as their value even when it starts with a dash
    // (`parsing: .unconditional`), so that `--tcp-port -5` gets the range error `--tcp-port=-5` gets rather than
    // ArgumentParser's "Missing value".

    @Option(help: "Address the HTTP API listens on. (QUOTAD_HTTP_HOST) (default: 127.0.0.1)")
    var httpHost: String?

    @Option(
        parsing: .unconditional,
        help: "Port of the HTTP API; 0 lets the OS choose. (QUOTAD_HTTP_PORT) (default: 8080)"
    )
    var httpPort: Int?

    @Option(help: "Address the binary protocol listens on. (QUOTAD_TCP_HOST) (default: 127.0.0.1)")
    var tcpHost: String?

    @Option(
        parsing: .unconditional,
        help: "Port of the binary protocol; 0 lets the OS choose. (QUOTAD_TCP_PORT) (default: 7070)"
    )
    var tcpPort: Int?

    @Option(help: "Directory of the node's SQLite file; created if missing. (QUOTAD_DATA_DIR) (default: ./quota-data)")
    var dataDir: String?

    @Option(
        parsing: .unconditional,
        help:
            "How often counters are written behind to SQLite, e.g. 100ms or 1s. (QUOTAD_FLUSH_INTERVAL) (default: 100ms)"
    )
    var flushInterval: DurationArgument?

    @Option(
        parsing: .unconditional,
        help:
            "Unflushed changes held in memory before consumes are refused as unavailable. (QUOTAD_MAX_UNFLUSHED) (default: 1000000)"
    )
    var maxUnflushed: Int?

    @Option(
        help:
            "Metrics without a limit: track (enforcement none) or reject (quota_not_found). (QUOTAD_UNKNOWN_METRICS) (default: track)"
    )
    var unknownMetrics: LedgerConfiguration.UnknownMetricPolicy?

    @Option(
        parsing: .unconditional,
        help: "How long applied idempotency keys are remembered, e.g. 24h. (QUOTAD_IDEMPOTENCY_TTL) (default: 24h)"
    )
    var idempotencyTTL: DurationArgument?

    @Option(
        parsing: .unconditional,
        help: """
            Event-loop threads serving the listeners and peer links, 1 to 256; default: the number of cores. Give \
            each node at most its share of the cores when several share a machine. (QUOTAD_EVENT_LOOPS)
            """
    )
    var eventLoops: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. (QUOTAD_LOG_LEVEL) (default: info)")
    var logLevel: String?

    @Option(
        help:
            "Every cluster member as id=host:port of its binary listener, this node included, comma-separated; empty for a single node. (QUOTAD_PEERS)"
    )
    var peers: String?

    @Option(help: "A file with one id=host:port member per line (# comments); instead of --peers. (QUOTAD_PEERS_FILE)")
    var peersFile: String?

    @Option(
        parsing: .unconditional,
        help: "How often a node renews its leases from its peers. (QUOTAD_HEARTBEAT_INTERVAL) (default: 100ms)"
    )
    var heartbeatInterval: DurationArgument?

    @Option(parsing: .unconditional, help: "How long a renewed lease lets an owner admit. (QUOTAD_LEASE) (default: 1s)")
    var lease: DurationArgument?

    @Option(
        parsing: .unconditional,
        help: "Silence after which a peer is suspected; at least the lease. (QUOTAD_SUSPICION_TIMEOUT) (default: 1s)"
    )
    var suspicionTimeout: DurationArgument?

    @Option(
        parsing: .unconditional,
        help:
            "Extra wait before a follower takes over, for clock rate differences. (QUOTAD_CLOCK_DRIFT_ALLOWANCE) (default: 200ms)"
    )
    var clockDriftAllowance: DurationArgument?

    @Option(
        parsing: .unconditional,
        help:
            "How long a request waits for replication or a forwarded answer before it is unavailable. (QUOTAD_REQUEST_DEADLINE) (default: 2s)"
    )
    var requestDeadline: DurationArgument?

    func run() async throws {
        // Before anything uses the shared event-loop group (the listeners, Hummingbird, the peer links).
        NIOSingletons.groupLoopCountSuggestion = self.eventLoopsSetting.value
        // Writes to a closed pipe or socket must fail with EPIPE, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        // Membership is static in this version: a SIGHUP must not kill the node (its default action) without a flush.
        signal(SIGHUP, SIG_IGN)
        let level = Logger.Level(rawValue: self.logLevelSetting.value) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "quotad")
        logger[metadataKey: "node"] = "\(self.nodeID)"

        let dataDir = self.dataDirSetting
        try DataDirectoryCreation.create(dataDir)
        // Held until the process exits: one quotad per data directory.
        let lock = try DataDirectoryLock(directory: dataDir)
        defer { withExtendedLifetime(lock) {} }
        let databasePath = URL(fileURLWithPath: dataDir.value).appendingPathComponent("quota.sqlite").path
        let store = try SQLiteQuotaStore(path: databasePath)
        let engine = try await QuotaEngine(configuration: try self.nodeConfiguration(), store: store, logger: logger)

        let httpListener = Listener(kind: .http, host: self.httpHostSetting, port: self.httpPortSetting)
        let tcpListener = Listener(kind: .binary, host: self.tcpHostSetting, port: self.tcpPortSetting)
        let cluster = ClusterService(engine: engine, logger: logger)
        // The peers hear from this node only once both listeners are bound (a node that cannot listen exits unheard).
        let startup = ListenerStartup(listeners: [httpListener, tcpListener]) { cluster.listenerReady() }
        let http = buildApplication(
            engine: engine,
            host: httpListener.host.value,
            port: httpListener.port.value,
            logger: logger
        ) { port in
            startup.bound(.http, port: port)
        }
        let wire = WireService(
            engine: engine,
            host: tcpListener.host.value,
            port: tcpListener.port.value,
            peers: cluster.inbound,
            logger: logger
        ) { port in
            startup.bound(.binary, port: port)
        }
        Announcer.announce("quotad node=\(self.nodeID) data=\(databasePath)")
        // Shutdown runs in reverse order: the listeners stop first, the flusher drains last. A listener that cannot
        // start shuts the others down gracefully (cancelling them would make them log errors of their own).
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: WriteBehindFlusher(engine: engine)),
                    .init(service: cluster),
                    .init(
                        service: ListenerService(listener: tcpListener, startup: startup, inner: wire),
                        failureTerminationBehavior: .gracefullyShutdownGroup
                    ),
                    .init(
                        service: ListenerService(listener: httpListener, startup: startup, inner: http),
                        failureTerminationBehavior: .gracefullyShutdownGroup
                    ),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}

/// Writes the start-up lines operators and tests read (`listening http=host:port`) to standard output.
enum Announcer {
    static func announce(_ line: String) {
        // A reader that has gone away (closed pipe) must not take the node down.
        try? FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8))
    }
}

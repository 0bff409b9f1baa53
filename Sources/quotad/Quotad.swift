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

    @Option(help: "Address the HTTP API listens on. (QUOTAD_HTTP_HOST)")
    var httpHost: String = Environment.string("QUOTAD_HTTP_HOST") ?? "127.0.0.1"

    @Option(help: "Port of the HTTP API; 0 lets the OS choose. (QUOTAD_HTTP_PORT)")
    var httpPort: Int = Environment.value("QUOTAD_HTTP_PORT") ?? 8080

    @Option(help: "Address the binary protocol listens on. (QUOTAD_TCP_HOST)")
    var tcpHost: String = Environment.string("QUOTAD_TCP_HOST") ?? "127.0.0.1"

    @Option(help: "Port of the binary protocol; 0 lets the OS choose. (QUOTAD_TCP_PORT)")
    var tcpPort: Int = Environment.value("QUOTAD_TCP_PORT") ?? 7070

    @Option(help: "Directory of the node's SQLite file; created if missing. (QUOTAD_DATA_DIR)")
    var dataDir: String = Environment.string("QUOTAD_DATA_DIR") ?? "./quota-data"

    @Option(help: "How often counters are written behind to SQLite, e.g. 100ms or 1s. (QUOTAD_FLUSH_INTERVAL)")
    var flushInterval: DurationArgument =
        Environment.value("QUOTAD_FLUSH_INTERVAL")
        ?? DurationArgument(milliseconds: 100)

    @Option(help: "Unflushed changes held in memory before consumes are refused as unavailable. (QUOTAD_MAX_UNFLUSHED)")
    var maxUnflushed: Int = Environment.value("QUOTAD_MAX_UNFLUSHED") ?? 1_000_000

    @Option(
        help: "Metrics without a limit: track (enforcement none) or reject (quota_not_found). (QUOTAD_UNKNOWN_METRICS)"
    )
    var unknownMetrics: LedgerConfiguration.UnknownMetricPolicy =
        Environment.value("QUOTAD_UNKNOWN_METRICS")
        ?? .track

    @Option(help: "How long applied idempotency keys are remembered, e.g. 24h. (QUOTAD_IDEMPOTENCY_TTL)")
    var idempotencyTTL: DurationArgument =
        Environment.value("QUOTAD_IDEMPOTENCY_TTL")
        ?? DurationArgument(milliseconds: 24 * 3_600_000)

    @Option(
        help: """
            Event-loop threads serving the listeners and peer links, 1 to 256; default: the number of cores. Give \
            each node at most its share of the cores when several share a machine. (QUOTAD_EVENT_LOOPS)
            """
    )
    var eventLoops: Int = Environment.value("QUOTAD_EVENT_LOOPS") ?? System.coreCount

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. (QUOTAD_LOG_LEVEL)")
    var logLevel: String = Environment.string("QUOTAD_LOG_LEVEL") ?? "info"

    func validate() throws {
        try Environment.check("QUOTAD_HTTP_PORT", as: Int.self)
        try Environment.check("QUOTAD_TCP_PORT", as: Int.self)
        try Environment.check("QUOTAD_MAX_UNFLUSHED", as: Int.self)
        try Environment.check("QUOTAD_EVENT_LOOPS", as: Int.self)
        try Environment.check("QUOTAD_FLUSH_INTERVAL", as: DurationArgument.self)
        try Environment.check("QUOTAD_IDEMPOTENCY_TTL", as: DurationArgument.self)
        try Environment.check("QUOTAD_UNKNOWN_METRICS", as: LedgerConfiguration.UnknownMetricPolicy.self)
        for name in [
            "QUOTAD_HEARTBEAT_INTERVAL", "QUOTAD_LEASE", "QUOTAD_SUSPICION_TIMEOUT", "QUOTAD_CLOCK_DRIFT_ALLOWANCE",
            "QUOTAD_REQUEST_DEADLINE",
        ] {
            try Environment.check(name, as: DurationArgument.self)
        }
        guard self.peers.isEmpty || self.peersFilePath == nil else {
            throw ValidationError("give the members with --peers or --peers-file, not both")
        }
        for (flag, port) in [("--http-port", self.httpPort), ("--tcp-port", self.tcpPort)] {
            guard (0...65535).contains(port) else {
                throw ValidationError("\(flag) must be between 0 and 65535 (0: any free port), got \(port)")
            }
        }
        guard self.maxUnflushed > 0 else { throw ValidationError("--max-unflushed must be positive") }
        guard (1...256).contains(self.eventLoops) else {
            throw ValidationError("--event-loops must be between 1 and 256, got \(self.eventLoops)")
        }
        guard Logger.Level(rawValue: self.logLevel) != nil else {
            throw ValidationError("unknown --log-level '\(self.logLevel)'")
        }
        do {
            let configuration = try self.nodeConfiguration()
            try self.checkOwnAddress(in: configuration.members)
        } catch let error as QuotaError {
            throw ValidationError(error.message)
        }
    }

    /// Refuses a member list peers could not use: this node's entry must name the port it listens on
    /// (unless `--tcp-port 0`), and no two members may share an address.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/invalidArgument``.
    func checkOwnAddress(in members: [MemberAddress]) throws {
        guard !members.isEmpty else { return }
        if let own = members.first(where: { $0.id.rawValue == self.nodeID }), self.tcpPort != 0,
            own.port != self.tcpPort
        {
            throw QuotaError.invalidArgument(
                "this node's peer entry '\(own)' names port \(own.port), but --tcp-port is \(self.tcpPort); peers could not reach it"
            )
        }
        let addresses = members.map { "\($0.host):\($0.port)" }
        guard Set(addresses).count == addresses.count else {
            throw QuotaError.invalidArgument("two members of the peer list share an address")
        }
    }

    func nodeConfiguration() throws -> NodeConfiguration {
        try NodeConfiguration(
            nodeID: self.nodeID,
            ledger: LedgerConfiguration(
                unknownMetrics: self.unknownMetrics,
                idempotencyRetentionMilliseconds: self.idempotencyTTL.milliseconds,
                maximumUnflushedEntries: self.maxUnflushed
            ),
            flushInterval: self.flushInterval.duration,
            members: try self.members(),
            clusterTimings: ClusterTimings(
                heartbeatIntervalMilliseconds: self.heartbeatInterval.milliseconds,
                suspicionTimeoutMilliseconds: self.suspicionTimeout.milliseconds,
                leaseMilliseconds: self.lease.milliseconds,
                clockDriftAllowanceMilliseconds: self.clockDriftAllowance.milliseconds,
                requestDeadlineMilliseconds: self.requestDeadline.milliseconds
            )
        )
    }

    /// The members from `--peers` or `--peers-file`; empty for a single node.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/invalidArgument`` for an unreadable file or an invalid entry.
    func members() throws -> [MemberAddress] {
        if let path = self.peersFilePath {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw QuotaError.invalidArgument("cannot read the peers file '\(path)'")
            }
            let lines = text.split(whereSeparator: \.isNewline).map { line in
                String(line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
            }
            return try MemberAddress.parseList(lines.joined(separator: ","))
        }
        return self.peers.isEmpty ? [] : try MemberAddress.parseList(self.peers)
    }

    @Option(
        help:
            "Every cluster member as id=host:port of its binary listener, this node included, comma-separated; empty for a single node. (QUOTAD_PEERS)"
    )
    var peers: String = Environment.string("QUOTAD_PEERS") ?? ""

    @Option(help: "A file with one id=host:port member per line (# comments); instead of --peers. (QUOTAD_PEERS_FILE)")
    var peersFile: String?

    /// `--peers-file`, or else `QUOTAD_PEERS_FILE` (an optional option cannot take a default value).
    var peersFilePath: String? { self.peersFile ?? Environment.string("QUOTAD_PEERS_FILE") }

    @Option(help: "How often a node renews its leases from its peers. (QUOTAD_HEARTBEAT_INTERVAL)")
    var heartbeatInterval: DurationArgument =
        Environment.value("QUOTAD_HEARTBEAT_INTERVAL") ?? DurationArgument(milliseconds: 100)

    @Option(help: "How long a renewed lease lets an owner admit. (QUOTAD_LEASE)")
    var lease: DurationArgument = Environment.value("QUOTAD_LEASE") ?? DurationArgument(milliseconds: 1000)

    @Option(help: "Silence after which a peer is suspected; at least the lease. (QUOTAD_SUSPICION_TIMEOUT)")
    var suspicionTimeout: DurationArgument =
        Environment.value("QUOTAD_SUSPICION_TIMEOUT") ?? DurationArgument(milliseconds: 1000)

    @Option(help: "Extra wait before a follower takes over, for clock rate differences. (QUOTAD_CLOCK_DRIFT_ALLOWANCE)")
    var clockDriftAllowance: DurationArgument =
        Environment.value("QUOTAD_CLOCK_DRIFT_ALLOWANCE") ?? DurationArgument(milliseconds: 200)

    @Option(
        help:
            "How long a request waits for replication or a forwarded answer before it is unavailable. (QUOTAD_REQUEST_DEADLINE)"
    )
    var requestDeadline: DurationArgument =
        Environment.value("QUOTAD_REQUEST_DEADLINE") ?? DurationArgument(milliseconds: 2000)

    func run() async throws {
        // Before anything uses the shared event-loop group (the listeners, Hummingbird, the peer links).
        NIOSingletons.groupLoopCountSuggestion = self.eventLoops
        // Writes to a closed pipe or socket must fail with EPIPE, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        // Membership is static in this version: a SIGHUP must not kill the node (its default action) without a flush.
        signal(SIGHUP, SIG_IGN)
        let level = Logger.Level(rawValue: self.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "quotad")
        logger[metadataKey: "node"] = "\(self.nodeID)"

        try DataDirectoryCreation.create(self.dataDir)
        // Held until the process exits: one quotad per data directory.
        let lock = try DataDirectoryLock(directory: self.dataDir)
        defer { withExtendedLifetime(lock) {} }
        let databasePath = URL(fileURLWithPath: self.dataDir).appendingPathComponent("quota.sqlite").path
        let store = try SQLiteQuotaStore(path: databasePath)
        let engine = try await QuotaEngine(configuration: try self.nodeConfiguration(), store: store, logger: logger)

        let http = buildApplication(engine: engine, host: self.httpHost, port: self.httpPort, logger: logger) { port in
            Announcer.announce("listening http=\(self.httpHost):\(port)")
        }
        let cluster = ClusterService(engine: engine, logger: logger)
        let wire = WireService(
            engine: engine,
            host: self.tcpHost,
            port: self.tcpPort,
            peers: cluster.inbound,
            logger: logger
        ) { port in
            cluster.listenerReady()
            Announcer.announce("listening tcp=\(self.tcpHost):\(port)")
        }
        Announcer.announce("quotad node=\(self.nodeID) data=\(databasePath)")
        // Shutdown runs in reverse order: the listeners stop first, the flusher drains last.
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: WriteBehindFlusher(engine: engine)),
                    .init(service: cluster),
                    .init(service: wire),
                    .init(service: http),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw AddressInUse(http: "\(self.httpHost):\(self.httpPort)", tcp: "\(self.tcpHost):\(self.tcpPort)")
        }
    }
}

/// A listener could not bind: the message names both addresses and the flags that set them, which NIO's
/// `bind` error does not.
struct AddressInUse: Error, CustomStringConvertible {
    let http: String
    let tcp: String

    var description: String {
        "cannot listen: an address is already in use (HTTP \(self.http) from --http-port, binary protocol "
            + "\(self.tcp) from --tcp-port); is another quotad running?"
    }
}

/// Writes the start-up lines operators and tests read (`listening http=host:port`) to standard output.
enum Announcer {
    static func announce(_ line: String) {
        // A reader that has gone away (closed pipe) must not take the node down.
        try? FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8))
    }
}

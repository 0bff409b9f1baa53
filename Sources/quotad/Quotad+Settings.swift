import NIOCore
import QuotaCore

/// The settings quotad checks itself, each with where its value came from (``Setting``): the flag, else its
/// `QUOTAD_*` variable, else the built-in default.
extension Quotad {
    var httpHostSetting: Setting<String> {
        Setting(flag: "--http-host", variable: "QUOTAD_HTTP_HOST", given: self.httpHost, builtIn: "127.0.0.1")
    }

    var httpPortSetting: Setting<Int> {
        Setting(flag: "--http-port", variable: "QUOTAD_HTTP_PORT", given: self.httpPort, builtIn: 8080)
    }

    var tcpHostSetting: Setting<String> {
        Setting(flag: "--tcp-host", variable: "QUOTAD_TCP_HOST", given: self.tcpHost, builtIn: "127.0.0.1")
    }

    var tcpPortSetting: Setting<Int> {
        Setting(flag: "--tcp-port", variable: "QUOTAD_TCP_PORT", given: self.tcpPort, builtIn: 7070)
    }

    var dataDirSetting: Setting<String> {
        Setting(flag: "--data-dir", variable: "QUOTAD_DATA_DIR", given: self.dataDir, builtIn: "./quota-data")
    }

    var flushIntervalSetting: Setting<DurationArgument> {
        Setting(
            flag: "--flush-interval",
            variable: "QUOTAD_FLUSH_INTERVAL",
            given: self.flushInterval,
            builtIn: DurationArgument(milliseconds: 100)
        )
    }

    var unknownMetricsSetting: Setting<LedgerConfiguration.UnknownMetricPolicy> {
        Setting(
            flag: "--unknown-metrics",
            variable: "QUOTAD_UNKNOWN_METRICS",
            given: self.unknownMetrics,
            builtIn: .track
        )
    }

    var idempotencyTTLSetting: Setting<DurationArgument> {
        Setting(
            flag: "--idempotency-ttl",
            variable: "QUOTAD_IDEMPOTENCY_TTL",
            given: self.idempotencyTTL,
            builtIn: DurationArgument(milliseconds: 24 * 3_600_000)
        )
    }

    var maxUnflushedSetting: Setting<Int> {
        Setting(flag: "--max-unflushed", variable: "QUOTAD_MAX_UNFLUSHED", given: self.maxUnflushed, builtIn: 1_000_000)
    }

    var eventLoopsSetting: Setting<Int> {
        Setting(
            flag: "--event-loops",
            variable: "QUOTAD_EVENT_LOOPS",
            given: self.eventLoops,
            builtIn: System.coreCount
        )
    }

    var logLevelSetting: Setting<String> {
        Setting(flag: "--log-level", variable: "QUOTAD_LOG_LEVEL", given: self.logLevel, builtIn: "info")
    }

    var peersSetting: Setting<String> {
        Setting(flag: "--peers", variable: "QUOTAD_PEERS", given: self.peers, builtIn: "")
    }

    /// `--peers-file`, else `QUOTAD_PEERS_FILE`; `nil` when neither is given.
    var peersFileSetting: Setting<String>? {
        Setting(flag: "--peers-file", variable: "QUOTAD_PEERS_FILE", given: self.peersFile)
    }
}

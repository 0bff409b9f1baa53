import QuotaCluster

/// The cluster protocol's timings, each with where its value came from (``Setting``): the flag, else its
/// `QUOTAD_*` variable, else the built-in default (``QuotaCluster/ClusterTimings/Defaults``).
extension Quotad {
    var heartbeatIntervalSetting: Setting<DurationArgument> {
        Setting(
            flag: "--heartbeat-interval",
            variable: "QUOTAD_HEARTBEAT_INTERVAL",
            given: self.heartbeatInterval,
            builtIn: DurationArgument(milliseconds: ClusterTimings.Defaults.heartbeatIntervalMilliseconds)
        )
    }

    var leaseSetting: Setting<DurationArgument> {
        Setting(
            flag: "--lease",
            variable: "QUOTAD_LEASE",
            given: self.lease,
            builtIn: DurationArgument(milliseconds: ClusterTimings.Defaults.leaseMilliseconds)
        )
    }

    var suspicionTimeoutSetting: Setting<DurationArgument> {
        Setting(
            flag: "--suspicion-timeout",
            variable: "QUOTAD_SUSPICION_TIMEOUT",
            given: self.suspicionTimeout,
            builtIn: DurationArgument(milliseconds: ClusterTimings.Defaults.suspicionTimeoutMilliseconds)
        )
    }

    var clockDriftAllowanceSetting: Setting<DurationArgument> {
        Setting(
            flag: "--clock-drift-allowance",
            variable: "QUOTAD_CLOCK_DRIFT_ALLOWANCE",
            given: self.clockDriftAllowance,
            builtIn: DurationArgument(milliseconds: ClusterTimings.Defaults.clockDriftAllowanceMilliseconds)
        )
    }

    var requestDeadlineSetting: Setting<DurationArgument> {
        Setting(
            flag: "--request-deadline",
            variable: "QUOTAD_REQUEST_DEADLINE",
            given: self.requestDeadline,
            builtIn: DurationArgument(milliseconds: ClusterTimings.Defaults.requestDeadlineMilliseconds)
        )
    }
}

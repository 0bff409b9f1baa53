/// The cluster protocol's timings, each with where its value came from (``Setting``): the flag, else its
/// `QUOTAD_*` variable, else the built-in default (those of ``QuotaCluster/ClusterTimings``).
extension Quotad {
    var heartbeatIntervalSetting: Setting<DurationArgument> {
        Setting(
            flag: "--heartbeat-interval",
            variable: "QUOTAD_HEARTBEAT_INTERVAL",
            given: self.heartbeatInterval,
            builtIn: DurationArgument(milliseconds: 100)
        )
    }

    var leaseSetting: Setting<DurationArgument> {
        Setting(
            flag: "--lease",
            variable: "QUOTAD_LEASE",
            given: self.lease,
            builtIn: DurationArgument(milliseconds: 1000)
        )
    }

    var suspicionTimeoutSetting: Setting<DurationArgument> {
        Setting(
            flag: "--suspicion-timeout",
            variable: "QUOTAD_SUSPICION_TIMEOUT",
            given: self.suspicionTimeout,
            builtIn: DurationArgument(milliseconds: 1000)
        )
    }

    var clockDriftAllowanceSetting: Setting<DurationArgument> {
        Setting(
            flag: "--clock-drift-allowance",
            variable: "QUOTAD_CLOCK_DRIFT_ALLOWANCE",
            given: self.clockDriftAllowance,
            builtIn: DurationArgument(milliseconds: 200)
        )
    }

    var requestDeadlineSetting: Setting<DurationArgument> {
        Setting(
            flag: "--request-deadline",
            variable: "QUOTAD_REQUEST_DEADLINE",
            given: self.requestDeadline,
            builtIn: DurationArgument(milliseconds: 2000)
        )
    }
}

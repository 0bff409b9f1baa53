import QuotaCore

/// The timing parameters of the cluster protocol, in milliseconds of each node's monotonic clock.
///
/// Safety of failover rests on one inequality: a follower promotes itself only after
/// `leaseMilliseconds + clockDriftAllowanceMilliseconds` have passed on *its* clock since it last renewed
/// the owner's lease, while the owner counts its lease from the moment it *sent* the renewal request, on its
/// own clock. As long as the two clocks' rates differ by less than `clockDriftAllowanceMilliseconds /
/// leaseMilliseconds` (20 % by default), the owner stops admitting before the follower starts
/// (Gray and Cheriton, "Leases", SOSP 1989).
public struct ClusterTimings: Hashable, Sendable {
    /// How often a node sends a heartbeat (lease renewal) to every peer. Default 100 ms.
    public var heartbeatIntervalMilliseconds: Int64
    /// Silence after which a peer is suspected of having failed. Default 1 000 ms.
    public var suspicionTimeoutMilliseconds: Int64
    /// How long a renewed lease lets an owner admit, counted from when it sent the renewal. Default 1 000 ms.
    public var leaseMilliseconds: Int64
    /// The extra wait a follower adds before promoting itself, for clock rate differences. Default 200 ms.
    public var clockDriftAllowanceMilliseconds: Int64
    /// How long a request may wait for its follower's acknowledgement or a forwarded answer before it is
    /// answered `unavailable` (its outcome is then indeterminate). Default 2 000 ms.
    public var requestDeadlineMilliseconds: Int64
    /// How often a node sends its full shard report to every peer (anti-entropy). Default 1 000 ms.
    public var reportIntervalMilliseconds: Int64
    /// How long an owner waits for a follower to acknowledge a snapshot or a hand-off before retrying.
    /// Default 5 000 ms.
    public var syncTimeoutMilliseconds: Int64

    /// Creates timings; the defaults suit a LAN or loopback cluster.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/invalidArgument`` when a value is not positive, when the
    ///   heartbeat interval is not below the lease, or when the suspicion timeout is below the lease.
    public init(
        heartbeatIntervalMilliseconds: Int64 = 100,
        suspicionTimeoutMilliseconds: Int64 = 1000,
        leaseMilliseconds: Int64 = 1000,
        clockDriftAllowanceMilliseconds: Int64 = 200,
        requestDeadlineMilliseconds: Int64 = 2000,
        reportIntervalMilliseconds: Int64 = 1000,
        syncTimeoutMilliseconds: Int64 = 5000
    ) throws {
        let values = [
            heartbeatIntervalMilliseconds, suspicionTimeoutMilliseconds, leaseMilliseconds,
            clockDriftAllowanceMilliseconds, requestDeadlineMilliseconds, reportIntervalMilliseconds,
            syncTimeoutMilliseconds,
        ]
        guard values.allSatisfy({ $0 > 0 }) else {
            throw QuotaError.invalidArgument("cluster timings must be positive milliseconds")
        }
        guard heartbeatIntervalMilliseconds < leaseMilliseconds else {
            throw QuotaError.invalidArgument("the heartbeat interval must be shorter than the lease")
        }
        guard suspicionTimeoutMilliseconds >= leaseMilliseconds else {
            throw QuotaError.invalidArgument("the suspicion timeout must be at least the lease")
        }
        self.heartbeatIntervalMilliseconds = heartbeatIntervalMilliseconds
        self.suspicionTimeoutMilliseconds = suspicionTimeoutMilliseconds
        self.leaseMilliseconds = leaseMilliseconds
        self.clockDriftAllowanceMilliseconds = clockDriftAllowanceMilliseconds
        self.requestDeadlineMilliseconds = requestDeadlineMilliseconds
        self.reportIntervalMilliseconds = reportIntervalMilliseconds
        self.syncTimeoutMilliseconds = syncTimeoutMilliseconds
    }

    /// How long after the last lease renewal a follower waits before it may promote itself.
    public var promotionWaitMilliseconds: Int64 {
        max(self.suspicionTimeoutMilliseconds, self.leaseMilliseconds + self.clockDriftAllowanceMilliseconds)
    }
}

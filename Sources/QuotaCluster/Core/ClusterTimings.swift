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

    /// The initializer's defaults, in milliseconds; they suit a LAN or loopback cluster. Each is the default of the
    /// property of the same name.
    public enum Defaults {
        /// 100 ms.
        public static let heartbeatIntervalMilliseconds: Int64 = 100
        /// 1 000 ms.
        public static let suspicionTimeoutMilliseconds: Int64 = 1000
        /// 1 000 ms.
        public static let leaseMilliseconds: Int64 = 1000
        /// 200 ms: 20 % of the default lease.
        public static let clockDriftAllowanceMilliseconds: Int64 = 200
        /// 2 000 ms.
        public static let requestDeadlineMilliseconds: Int64 = 2000
        /// 1 000 ms.
        public static let reportIntervalMilliseconds: Int64 = 1000
        /// 5 000 ms.
        public static let syncTimeoutMilliseconds: Int64 = 5000
    }

    /// Two timings that contradict each other.
    public enum Conflict: Sendable, Equatable {
        /// The heartbeat interval is not shorter than the lease: a lease would lapse between renewals.
        case heartbeatNotShorterThanLease
        /// The suspicion timeout is shorter than the lease: a peer would be suspected while its lease still runs.
        case suspicionShorterThanLease
    }

    /// The first contradiction between a heartbeat interval, a suspicion timeout and a lease, or `nil` when they
    /// agree. The initializer refuses the same; a caller that knows where each value came from can name them.
    public static func conflict(
        heartbeatIntervalMilliseconds: Int64,
        suspicionTimeoutMilliseconds: Int64,
        leaseMilliseconds: Int64
    ) -> Conflict? {
        if heartbeatIntervalMilliseconds >= leaseMilliseconds { return .heartbeatNotShorterThanLease }
        if suspicionTimeoutMilliseconds < leaseMilliseconds { return .suspicionShorterThanLease }
        return nil
    }

    /// Creates timings; the defaults (``Defaults``) suit a LAN or loopback cluster.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/invalidArgument`` when a value is not positive, or when the timings
    ///   conflict (``conflict(heartbeatIntervalMilliseconds:suspicionTimeoutMilliseconds:leaseMilliseconds:)``).
    public init(
        heartbeatIntervalMilliseconds: Int64 = Defaults.heartbeatIntervalMilliseconds,
        suspicionTimeoutMilliseconds: Int64 = Defaults.suspicionTimeoutMilliseconds,
        leaseMilliseconds: Int64 = Defaults.leaseMilliseconds,
        clockDriftAllowanceMilliseconds: Int64 = Defaults.clockDriftAllowanceMilliseconds,
        requestDeadlineMilliseconds: Int64 = Defaults.requestDeadlineMilliseconds,
        reportIntervalMilliseconds: Int64 = Defaults.reportIntervalMilliseconds,
        syncTimeoutMilliseconds: Int64 = Defaults.syncTimeoutMilliseconds
    ) throws {
        let values = [
            heartbeatIntervalMilliseconds, suspicionTimeoutMilliseconds, leaseMilliseconds,
            clockDriftAllowanceMilliseconds, requestDeadlineMilliseconds, reportIntervalMilliseconds,
            syncTimeoutMilliseconds,
        ]
        guard values.allSatisfy({ $0 > 0 }) else {
            throw QuotaError.invalidArgument("cluster timings must be positive milliseconds")
        }
        switch Self.conflict(
            heartbeatIntervalMilliseconds: heartbeatIntervalMilliseconds,
            suspicionTimeoutMilliseconds: suspicionTimeoutMilliseconds,
            leaseMilliseconds: leaseMilliseconds
        ) {
        case .heartbeatNotShorterThanLease:
            throw QuotaError.invalidArgument("the heartbeat interval must be shorter than the lease")
        case .suspicionShorterThanLease:
            throw QuotaError.invalidArgument("the suspicion timeout must be at least the lease")
        case nil:
            break
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

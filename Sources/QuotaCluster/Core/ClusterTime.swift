import QuotaCore

/// The current time as the runtime (or the simulator) reads it when it hands the cluster core an input.
public struct ClusterTime: Hashable, Sendable {
    /// Wall-clock time, UTC milliseconds: periods and event timestamps use it.
    public var wall: Timestamp
    /// A monotonic clock in milliseconds from an arbitrary origin: leases, suspicion and deadlines use it.
    public var monotonic: Int64

    /// Creates a time.
    public init(wall: Timestamp, monotonic: Int64) {
        self.wall = wall
        self.monotonic = monotonic
    }
}

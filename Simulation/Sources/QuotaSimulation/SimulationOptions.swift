import QuotaCluster
import QuotaCore

/// What one simulated run does: the seed, the cluster's shape, the workload, the phases and the faults.
public struct SimulationOptions: Sendable {
    /// The seed every random choice of the run derives from.
    public var seed: UInt64
    /// Members of the cluster.
    public var nodes = 3
    /// Tenants of the workload.
    public var tenants = 16
    /// Concurrent clients (closed loop: each waits for its answer, then thinks).
    public var clients = 6
    /// Mean client think time between operations, microseconds.
    public var thinkMean: Int64 = 60_000
    /// Simulated seconds of the fault phase.
    public var duration: Int64 = 60
    /// Simulated seconds of the healed phase (faults off, workload on) that follows.
    public var healedDuration: Int64 = 20
    /// The liveness bound: after the heal, every operation gets a definite answer within this many seconds of
    /// the heal or of its start, whichever is later.
    public var livenessBound: Int64 = 20
    /// The fault profile.
    public var faults = FaultProfile.swarm
    /// Defects of the code under test to switch on (test-only).
    public var clusterDefects: ClusterDefects = []
    /// Ledger defects to switch on (test-only).
    public var ledgerDefects: LedgerDefects = []
    /// Virtual nodes per member on the ring (production uses 128; fewer shards make the simulation faster
    /// without changing the protocol).
    public var virtualNodesPerMember = 16
    /// How many trace lines a violation report shows.
    public var reportLines = 40

    /// Options for `seed` with the defaults above.
    public init(seed: UInt64) { self.seed = seed }
}

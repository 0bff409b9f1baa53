import QuotaCluster
import QuotaCore

/// One node's clocks, as functions of the simulator's true time (microseconds since the run began).
///
/// Both clocks tick at the node's oscillator rate, `1 + ratePPM/10⁶` (drift). The monotonic clock starts at an
/// arbitrary origin and never jumps; it is what leases, suspicion and deadlines read. The wall clock adds an
/// offset to the run's wall-clock base and can jump forward or back (an NTP step, an operator); periods and
/// event timestamps read it. A node keeps its clocks across process restarts: they belong to the machine.
struct NodeClock: Sendable {
    /// Drift in parts per million (±50 000 is ±5 %).
    var ratePPM: Int64
    /// Where the monotonic clock stood at true time 0, in microseconds.
    var monotonicOrigin: Int64
    /// The wall clock's offset from the run's base, in milliseconds; jumps add to it.
    var wallOffset: Int64

    /// Local elapsed microseconds at true time `t`.
    func local(_ t: Int64) -> Int64 { t + t * self.ratePPM / 1_000_000 }

    /// The node's reading at true time `t`.
    func time(at t: Int64, wallBase: Int64) -> ClusterTime {
        let local = self.local(t)
        return ClusterTime(
            wall: Timestamp(millisecondsSinceEpoch: wallBase + local / 1000 + self.wallOffset),
            monotonic: (self.monotonicOrigin + local) / 1000
        )
    }

    /// The true duration, in microseconds, of `microseconds` on this node's clock.
    func trueDuration(ofLocal microseconds: Int64) -> Int64 {
        max(1, microseconds * 1_000_000 / (1_000_000 + self.ratePPM))
    }
}

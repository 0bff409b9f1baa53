/// A named set of faults for a run; ``swarm`` draws its own mix per seed.
public enum FaultProfile: String, Sendable, CaseIterable {
    /// No faults: latency only.
    case none
    /// Drops, duplicates, replays of old messages, reordering latency and connection resets.
    case network
    /// Symmetric and asymmetric partitions, with latency.
    case partitions
    /// Process crashes and restarts, with latency.
    case crashes
    /// Slow and failing disk writes, crashes that lose what was in flight.
    case disk
    /// Clock drift, offsets and wall-clock jumps.
    case clocks
    /// Every fault at once, at high rates.
    case chaos
    /// Each seed draws its own fault mix, switching some faults off entirely (swarm testing).
    case swarm
}

/// The fault rates of one run: what the seed drew from its profile. Logged at the top of the trace.
///
/// Rates are per simulated second; probabilities are per message or per write. Times are microseconds of
/// true simulated time unless the name says milliseconds.
public struct FaultPlan: Sendable, CustomStringConvertible {
    /// The smallest one-way message latency.
    public var latencyMinimum: Int64 = 200
    /// The mean of the exponential part of the latency (which reorders messages).
    public var latencyMean: Int64 = 1000
    /// Probability that a message is lost.
    public var drop = 0.0
    /// Probability that a message is delivered twice.
    public var duplicate = 0.0
    /// Probability that a send also delivers an old message again (a replay).
    public var replay = 0.0
    /// Connection resets per second (all in-flight messages of a pair are lost; both ends see it go down and up).
    public var resetRate = 0.0
    /// Partitions per second (one at a time).
    public var partitionRate = 0.0
    /// Mean partition duration.
    public var partitionMean: Int64 = 2_000_000
    /// Probability that a partition blocks one direction only.
    public var asymmetric = 0.0
    /// Process crashes per second (one node down at a time, and only once every shard is replicated again).
    public var crashRate = 0.0
    /// Mean time before a crashed node restarts.
    public var restartMean: Int64 = 2_000_000
    /// The smallest disk write latency.
    public var writeLatencyMinimum: Int64 = 100
    /// The mean of the exponential part of the disk write latency.
    public var writeLatencyMean: Int64 = 2000
    /// Probability that a write fails (the node keeps the batch in memory and retries).
    public var writeFailure = 0.0
    /// Probability that a crash during a write finds the transaction committed.
    public var commitBeforeCrash = 0.5
    /// The largest clock drift, parts per million (±).
    public var driftPPM: Int64 = 0
    /// The largest initial wall-clock offset, milliseconds (±).
    public var offsetMilliseconds: Int64 = 0
    /// Wall-clock jumps per second.
    public var jumpRate = 0.0
    /// The largest wall-clock jump, milliseconds (±).
    public var jumpMilliseconds: Int64 = 0

    /// A plan with latency only.
    public init() {}

    /// Draws the plan of `profile` from `random`.
    public static func draw(_ profile: FaultProfile, _ random: inout SimRandom) -> FaultPlan {
        var plan = FaultPlan()
        plan.latencyMinimum = random.int(100...2000)
        plan.latencyMean = random.int(200...5000)
        plan.writeLatencyMinimum = random.int(50...1000)
        plan.writeLatencyMean = random.int(500...10_000)
        switch profile {
        case .none: break
        case .network: plan.network(&random, scale: 1)
        case .partitions: plan.partitions(&random, scale: 1)
        case .crashes: plan.crashes(&random, scale: 1)
        case .disk:
            plan.disk(&random, scale: 1)
            plan.crashes(&random, scale: 0.5)
        case .clocks: plan.clocks(&random, scale: 1)
        case .chaos:
            plan.network(&random, scale: 1.5)
            plan.partitions(&random, scale: 1.5)
            plan.crashes(&random, scale: 1.5)
            plan.disk(&random, scale: 1.5)
            plan.clocks(&random, scale: 1)
        case .swarm:
            // Each class of fault is on with probability 0.6, at a rate drawn for this seed.
            if random.chance(0.6) { plan.network(&random, scale: random.unit() * 1.5) }
            if random.chance(0.6) { plan.partitions(&random, scale: 0.3 + random.unit()) }
            if random.chance(0.6) { plan.crashes(&random, scale: 0.3 + random.unit()) }
            if random.chance(0.6) { plan.disk(&random, scale: random.unit() * 1.5) }
            if random.chance(0.6) { plan.clocks(&random, scale: random.unit()) }
            if random.chance(0.25) {
                plan.latencyMean = random.int(5000...40_000)
                plan.writeLatencyMean = random.int(10_000...100_000)
            }
        }
        return plan
    }

    private mutating func network(_ random: inout SimRandom, scale: Double) {
        self.drop = random.unit() * 0.08 * scale
        self.duplicate = random.unit() * 0.05 * scale
        self.replay = random.unit() * 0.02 * scale
        self.resetRate = random.unit() * 0.3 * scale
        self.latencyMean = random.int(500...20_000)
    }

    private mutating func partitions(_ random: inout SimRandom, scale: Double) {
        self.partitionRate = (0.02 + random.unit() * 0.08) * scale
        self.partitionMean = random.int(300_000...5_000_000)
        self.asymmetric = random.unit()
    }

    private mutating func crashes(_ random: inout SimRandom, scale: Double) {
        self.crashRate = (0.01 + random.unit() * 0.07) * scale
        self.restartMean = random.int(200_000...5_000_000)
    }

    private mutating func disk(_ random: inout SimRandom, scale: Double) {
        self.writeFailure = random.unit() * 0.15 * scale
        self.writeLatencyMean = random.int(1000...50_000)
        self.commitBeforeCrash = random.unit()
        if self.crashRate == 0 { self.crashRate = 0.01 + random.unit() * 0.03 }
    }

    private mutating func clocks(_ random: inout SimRandom, scale: Double) {
        self.driftPPM = Int64(50_000 * min(1, scale + 0.2))
        self.offsetMilliseconds = random.int(0...3000)
        self.jumpRate = random.unit() * 0.1 * scale
        self.jumpMilliseconds = random.int(100...5000)
    }

    /// The plan as one line, e.g. `drop=0.031 dup=0.004 …`.
    public var description: String {
        func p(_ value: Double) -> String { Format.fixed(value, decimals: 3) }
        func ms(_ value: Int64) -> String { Format.fixed(Double(value) / 1000, decimals: 1) + "ms" }
        return "latency=\(ms(self.latencyMinimum))+exp(\(ms(self.latencyMean))) drop=\(p(self.drop))"
            + " dup=\(p(self.duplicate)) replay=\(p(self.replay)) resets/s=\(p(self.resetRate))"
            + " partitions/s=\(p(self.partitionRate)) partition_mean=\(ms(self.partitionMean))"
            + " asym=\(p(self.asymmetric)) crashes/s=\(p(self.crashRate)) restart_mean=\(ms(self.restartMean))"
            + " write=\(ms(self.writeLatencyMinimum))+exp(\(ms(self.writeLatencyMean)))"
            + " write_fail=\(p(self.writeFailure)) commit_before_crash=\(p(self.commitBeforeCrash))"
            + " drift_ppm=\(self.driftPPM) offset_max=\(self.offsetMilliseconds)ms jumps/s=\(p(self.jumpRate))"
            + " jump_max=\(self.jumpMilliseconds)ms"
    }
}

/// Number formatting without Foundation.
public enum Format {
    /// `value` with `decimals` digits after the point, rounded half away from zero.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        var scale: Double = 1
        for _ in 0..<decimals { scale *= 10 }
        let negative = value < 0
        let scaled = Int64((abs(value) * scale).rounded())
        return (negative && scaled != 0 ? "-" : "") + self.fixed(scaled, decimals: decimals)
    }

    /// A non-negative integer count of `10^-decimals` units, with the point inserted.
    public static func fixed(_ units: Int64, decimals: Int) -> String {
        guard decimals > 0 else { return "\(units)" }
        var divisor: Int64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        let fraction = String(units % divisor)
        return "\(units / divisor)." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// Microseconds as seconds with six decimals.
    public static func seconds(_ microseconds: Int64) -> String { self.fixed(microseconds, decimals: 6) }
}

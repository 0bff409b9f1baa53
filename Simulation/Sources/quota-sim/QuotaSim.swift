import ArgumentParser
import QuotaCluster
import QuotaCore
import QuotaSimulation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `quota-sim`: runs the deterministic simulator over a range of seeds and reports each run.
@main
struct QuotaSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quota-sim",
        abstract: "Runs the real cluster core under simulated faults, deterministically from a seed, and checks it."
    )

    @Option(help: "The first seed.")
    var seed: UInt64 = 1

    @Option(help: "How many seeds to run (seed, seed+1, ...).")
    var count: Int = 1

    @Option(help: "Members of the cluster.")
    var nodes: Int = 3

    @Option(help: "Tenants of the workload.")
    var tenants: Int = 16

    @Option(help: "Concurrent clients.")
    var clients: Int = 6

    @Option(help: "Simulated seconds of the fault phase.")
    var duration: Int64 = 60

    @Option(help: "Simulated seconds of the healed phase after it.")
    var healed: Int64 = 20

    @Option(help: "Fault profile: \(FaultProfile.allCases.map(\.rawValue).joined(separator: ", ")).")
    var faults: String = "swarm"

    @Option(help: "Write every trace line to this file.")
    var trace: String?

    @Option(
        name: .customLong("defect"),
        help:
            "Switch on a planted defect (test-only): answer-before-replication, promote-without-lease, skip-idempotency-check."
    )
    var defects: [String] = []

    @Flag(help: "Run each seed twice in this process and compare the trace hashes.")
    var checkDeterminism = false

    @Flag(help: "Print only violations and the summary.")
    var quiet = false

    @Option(help: "After each run, print every node's stored records and events of this tenant (debugging).")
    var dumpTenant: String?

    mutating func validate() throws {
        guard FaultProfile(rawValue: self.faults) != nil else {
            throw ValidationError("unknown fault profile '\(self.faults)'")
        }
        guard self.nodes >= 2, self.nodes <= 9 else { throw ValidationError("--nodes must be 2...9") }
        guard self.count >= 1, self.tenants >= 1, self.clients >= 1, self.duration >= 1, self.healed >= 1 else {
            throw ValidationError("--count, --tenants, --clients, --duration and --healed must be positive")
        }
        for defect in self.defects where Self.defect(defect) == nil {
            throw ValidationError("unknown defect '\(defect)'")
        }
    }

    static func defect(_ name: String) -> (ClusterDefects, LedgerDefects)? {
        switch name {
        case "answer-before-replication": ([.answerBeforeReplication], [])
        case "promote-without-lease": ([.promoteWithoutLease], [])
        case "skip-idempotency-check": ([], [.skipIdempotencyCheck])
        default: nil
        }
    }

    func options(seed: UInt64) -> SimulationOptions {
        var options = SimulationOptions(seed: seed)
        options.nodes = self.nodes
        options.tenants = self.tenants
        options.clients = self.clients
        options.duration = self.duration
        options.healedDuration = self.healed
        options.faults = FaultProfile(rawValue: self.faults) ?? .swarm
        for name in self.defects {
            guard let (cluster, ledger) = Self.defect(name) else { continue }
            options.clusterDefects.formUnion(cluster)
            options.ledgerDefects.formUnion(ledger)
        }
        return options
    }

    /// The command line that replays one seed.
    func reproduce(seed: UInt64) -> String {
        var command =
            "swift run -c release quota-sim --seed \(seed) --count 1 --nodes \(self.nodes)"
            + " --tenants \(self.tenants) --clients \(self.clients) --duration \(self.duration)"
            + " --healed \(self.healed) --faults \(self.faults)"
        for defect in self.defects { command += " --defect \(defect)" }
        return command + " --trace seed-\(seed).trace"
    }

    func run() throws {
        let file = try self.trace.map { path -> TraceFile in
            guard let handle = fopen(path, "w") else { throw ValidationError("cannot write \(path)") }
            return TraceFile(handle)
        }
        defer { file?.close() }
        let clock = ContinuousClock()
        let started = clock.now
        var runs = 0
        var failures: [UInt64] = []
        var simulated: Int64 = 0
        var operations = 0
        var combined = FNV1a64()
        var overAdmitted: Int64 = 0
        var longest: Int64 = 0
        for offset in 0..<self.count {
            let seed = self.seed &+ UInt64(offset)
            let runStarted = clock.now
            var sink: (@Sendable (String) -> Void)?
            if let file { sink = { @Sendable line in file.write(line) } }
            let simulation = try Simulation(options: self.options(seed: seed), sink: sink)
            let result = simulation.run()
            if let tenant = self.dumpTenant {
                for line in simulation.dump(tenant: tenant) { print(line) }
            }
            let wall = Self.seconds(clock.now - runStarted)
            runs += 1
            simulated += result.simulatedMicroseconds
            operations += result.operations
            overAdmitted += result.checker.overAdmitted
            longest = max(longest, result.checker.longestAfterHeal)
            for byte in Self.hex(result.traceHash).utf8 { combined.combine(byte) }
            var determinism = ""
            if self.checkDeterminism {
                let again = try Simulation(options: self.options(seed: seed)).run()
                determinism = again.traceHash == result.traceHash ? " deterministic" : " NONDETERMINISTIC"
                if again.traceHash != result.traceHash {
                    failures.append(seed)
                    print(
                        "seed=\(seed) NONDETERMINISTIC trace=\(Self.hex(result.traceHash)) then \(Self.hex(again.traceHash))"
                    )
                }
            }
            if let violation = result.violation {
                failures.append(seed)
                print(
                    "seed=\(seed) VIOLATION \(violation.check) at \(Format.seconds(violation.time))s: \(violation.message)"
                )
                print("  faults: \(result.plan)")
                print("  last trace lines:")
                for line in result.lastLines { print("    \(line)") }
                print("  reproduce: \(self.reproduce(seed: seed))")
            } else if !self.quiet {
                print(Self.line(result, wall: wall) + determinism)
            }
        }
        let wall = Self.seconds(clock.now - started)
        let simulatedSeconds = Double(simulated) / 1_000_000
        if !failures.isEmpty {
            for seed in failures { print("reproduce: \(self.reproduce(seed: seed))") }
        }
        print(
            "totals runs=\(runs) sim_hours=\(Format.fixed(simulatedSeconds / 3600, decimals: 2))"
                + " ratio=\(Format.fixed(wall > 0 ? simulatedSeconds / wall : 0, decimals: 1))x"
                + " over_admitted=\(overAdmitted) longest_after_heal=\(Format.seconds(longest))s"
                + " hash=\(Self.hex(combined.value))"
        )
        print(
            "summary runs=\(runs) violations=\(failures.count) sim_seconds=\(Format.fixed(simulatedSeconds, decimals: 1))"
                + " wall_seconds=\(Format.fixed(wall, decimals: 1)) ops=\(operations)"
        )
        if !failures.isEmpty { throw ExitCode(1) }
    }

    static func line(_ result: SimulationResult, wall: Double) -> String {
        let seconds = Double(result.simulatedMicroseconds) / 1_000_000
        let stats = result.statistics
        let checker = result.checker
        return "seed=\(result.seed) ok sim=\(Format.fixed(seconds, decimals: 1))s"
            + " wall=\(Format.fixed(wall, decimals: 2))s ratio=\(Format.fixed(wall > 0 ? seconds / wall : 0, decimals: 0))x"
            + " ops=\(result.operations) acked=\(checker.acknowledged) denied=\(checker.denied)"
            + " unavailable=\(checker.unavailable) timeouts=\(checker.timeouts) indeterminate=\(checker.indeterminate)"
            + " crashes=\(stats.crashes) partitions=\(stats.partitions) resets=\(stats.resets) jumps=\(stats.jumps)"
            + " write_failures=\(stats.writeFailures) dropped=\(stats.dropped) dup=\(stats.duplicated)"
            + " replayed=\(stats.replayed) over_admitted=\(checker.overAdmitted) phantoms=\(checker.phantoms)"
            + " history_mismatches=\(checker.historyMismatches)"
            + (checker.splitBrain.isEmpty ? "" : " split_brain=\(checker.splitBrain)")
            + " after_heal=\(Format.fixed(Double(checker.longestAfterHeal) / 1_000_000, decimals: 2))s"
            + " trace=\(self.hex(result.traceHash))"
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// A trace file written line by line.
final class TraceFile: @unchecked Sendable {
    private let handle: UnsafeMutablePointer<FILE>

    init(_ handle: UnsafeMutablePointer<FILE>) { self.handle = handle }

    func write(_ line: String) {
        fputs(line, self.handle)
        fputs("\n", self.handle)
    }

    func close() { fclose(self.handle) }
}

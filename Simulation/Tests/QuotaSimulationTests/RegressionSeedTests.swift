import QuotaSimulation
import Testing

/// Seeds that found real bugs in the cluster core (docs/simulation.md tells each story). They must keep passing.
@Suite("Regression seeds")
struct RegressionSeedTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let seed: UInt64
        let faults: FaultProfile
        let bug: String

        var testDescription: String { "seed \(self.seed) \(self.faults.rawValue): \(self.bug)" }
    }

    static let cases: [Case] = [
        Case(seed: 3, faults: .none, bug: "an owner adopted its own accepted proposal from a report and dropped it"),
        Case(seed: 2, faults: .swarm, bug: "the same, with the snapshot acknowledgement lost"),
        Case(seed: 1, faults: .swarm, bug: "resending after a reconnect overflowed (Int64.min); duplicated forwards"),
        Case(seed: 4, faults: .swarm, bug: "a replayed forward applied a keyless request twice"),
        Case(seed: 15, faults: .swarm, bug: "a lease renewed after expiry let an old owner serve stale reads"),
        Case(
            seed: 185,
            faults: .swarm,
            bug: "two proposals of one epoch; a stale follower won and lost acknowledged usage"
        ),
        Case(
            seed: 117,
            faults: .swarm,
            bug: "a restarted node did not learn its old epoch and accepted a stale snapshot"
        ),
        Case(
            seed: 7,
            faults: .swarm,
            bug: "burned epochs let a partitioned owner's stale proposal outrank the live one"
        ),
        Case(
            seed: 14,
            faults: .swarm,
            bug: "an owner adopted its own abandoned proposal and the shard stayed unserved"
        ),
        Case(seed: 45, faults: .swarm, bug: "a duplicated snapshot was installed again and undid replicated changes"),
        Case(seed: 902, faults: .swarm, bug: "a follower of an abandoned proposal promoted and overwrote newer data"),
        Case(
            seed: 49,
            faults: .swarm,
            bug: "a snapshot's version lagged its content, so re-syncs were refused for good"
        ),
    ]

    @Test("the seed passes", arguments: Self.cases)
    func seed(_ regression: Case) throws {
        var options = SimulationOptions(seed: regression.seed)
        options.faults = regression.faults
        let result = try Simulation(options: options).run()
        #expect(result.violation == nil, "\(result.violation.map { "\($0.check): \($0.message)" } ?? "")")
    }
}

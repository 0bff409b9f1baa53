import QuotaCluster
import QuotaCore
import QuotaSimulation
import Testing

/// Each known defect, switched on in the code under test, is caught within a few seeds: the checkers can see
/// what they claim to check.
@Suite("Planted defects are caught")
struct PlantedDefectTests {
    /// Runs seeds 1…`seeds` until one fails; returns the failing seed and check.
    static func firstViolation(
        faults: FaultProfile,
        cluster: ClusterDefects = [],
        ledger: LedgerDefects = [],
        seeds: UInt64 = 8
    ) throws -> (seed: UInt64, check: String)? {
        for seed in 1...seeds {
            var options = SimulationOptions(seed: seed)
            options.duration = 20
            options.healedDuration = 10
            options.faults = faults
            options.clusterDefects = cluster
            options.ledgerDefects = ledger
            if let violation = try Simulation(options: options).run().violation { return (seed, violation.check) }
        }
        return nil
    }

    @Test("the owner answers before its follower acknowledged: acknowledged usage the follower lacks")
    func answerBeforeReplication() throws {
        let found = try Self.firstViolation(faults: .crashes, cluster: [.answerBeforeReplication])
        #expect(found?.check == "lost-ack")
        #expect((found?.seed ?? 99) <= 3)
    }

    @Test("a follower promotes without waiting for the lease: two nodes may admit one shard")
    func promoteWithoutLease() throws {
        let found = try Self.firstViolation(faults: .partitions, cluster: [.promoteWithoutLease])
        #expect(found.map { ["single-admitter", "stale-read", "lost-ack"].contains($0.check) } == true)
        #expect((found?.seed ?? 99) <= 3)
    }

    @Test("the idempotency check is skipped: a retried request is applied twice")
    func skipIdempotencyCheck() throws {
        let found = try Self.firstViolation(faults: .network, ledger: [.skipIdempotencyCheck])
        #expect(found?.check == "exactly-once")
        #expect((found?.seed ?? 99) <= 3)
    }

    @Test("without a planted defect the same seeds pass")
    func control() throws {
        #expect(try Self.firstViolation(faults: .network, seeds: 3) == nil)
        #expect(try Self.firstViolation(faults: .crashes, seeds: 3) == nil)
    }
}

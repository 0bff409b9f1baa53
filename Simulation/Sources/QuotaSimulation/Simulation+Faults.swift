import QuotaCluster
import QuotaCore

extension Simulation {
    /// Runs every 100 ms of the fault phase: each fault fires with its rate times the interval.
    func injectFaults() {
        let interval = Double(Self.faultTick) / 1_000_000
        if self.faultRandom.chance(self.plan.crashRate * interval) {
            let index = self.faultRandom.index(self.nodes.count)
            if self.crashAllowed(index) {
                self.crash(index)
                let delay = 50_000 + self.faultRandom.exponential(mean: self.plan.restartMean)
                self.schedule(.restart(index), at: self.now + delay)
            }
        }
        if self.partition == nil, self.faultRandom.chance(self.plan.partitionRate * interval) {
            self.startPartition()
        }
        if self.faultRandom.chance(self.plan.resetRate * interval) {
            let a = self.faultRandom.index(self.nodes.count)
            var b = self.faultRandom.index(self.nodes.count - 1)
            if b >= a { b += 1 }
            if self.links[a][b].up {
                self.stats.resets += 1
                self.write("reset connection \(self.ids[a])<->\(self.ids[b])")
                self.disconnect(a, b)
                let both = self.nodes[a].core != nil && self.nodes[b].core != nil
                if both { self.reconnectLater(a, b) }
            }
        }
        if self.faultRandom.chance(self.plan.jumpRate * interval), self.plan.jumpMilliseconds > 0 {
            let index = self.faultRandom.index(self.nodes.count)
            let jump = self.faultRandom.int(-self.plan.jumpMilliseconds...self.plan.jumpMilliseconds)
            self.nodes[index].clock.wallOffset += jump
            self.stats.jumps += 1
            self.write("\(self.ids[index]) wall clock jumps \(jump)ms")
        }
    }

    /// Reconnects a reset pair after a short while, if both processes are still the same then.
    func reconnectLater(_ a: Int, _ b: Int) {
        let delay = self.faultRandom.int(5_000...300_000)
        self.schedule(.reconnect(a, b, self.nodes[a].generation, self.nodes[b].generation), at: self.now + delay)
    }

    /// A node may crash only while every other node runs and every shard has an owner that may admit with a
    /// live follower in its epoch: the fault model is one failure at a time, so a crash never takes the last
    /// copy of acknowledged changes (docs/simulation.md explains why).
    func crashAllowed(_ index: Int) -> Bool {
        guard self.nodes.allSatisfy({ $0.core != nil }) else { return false }
        return self.fullyReplicated()
    }

    /// Every shard has an owner that may admit and a follower in the same epoch that holds the role.
    func fullyReplicated() -> Bool {
        let times = self.nodes.indices.map { self.time(of: $0) }
        for shard in self.ring.shards.indices {
            var ok = false
            for index in self.nodes.indices {
                guard let core = self.nodes[index].core, core.mayAdmit(shard: shard, now: times[index]) else {
                    continue
                }
                let view = core.shard(shard)
                guard let follower = view.assignment.follower,
                    let followerIndex = self.ids.firstIndex(of: follower),
                    let other = self.nodes[followerIndex].core
                else { continue }
                let theirs = other.shard(shard)
                if theirs.role == .follower, theirs.assignment.epoch == view.assignment.epoch { ok = true }
            }
            if !ok { return false }
        }
        return true
    }

    /// Ends the fault phase: heals the partition, restarts crashed nodes, reconnects reset pairs and switches
    /// every fault off.
    func heal() {
        self.faultsActive = false
        self.write("heal: faults off")
        self.checker.healed(at: self.now)
        self.healPartition()
        for index in self.nodes.indices where self.nodes[index].core == nil { self.start(index) }
        for a in self.nodes.indices {
            for b in self.nodes.indices where a < b && !self.links[a][b].up {
                self.connect(a, b)
            }
        }
    }
}

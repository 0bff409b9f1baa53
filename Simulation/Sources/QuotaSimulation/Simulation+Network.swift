import QuotaCluster
import QuotaCore

/// The state of one direction between two nodes.
struct Link: Sendable {
    /// Messages on this direction are lost (a partition).
    var blocked = false
    /// The connection is established (both processes up, not reset).
    var up = false
    /// Grows with every new connection; a message of an older connection is lost on arrival.
    var connection: UInt64 = 0
}

/// A partition in force.
struct ActivePartition: Sendable {
    var id: Int
    var description: String
    var start: Int64
}

extension Simulation {
    // MARK: Messages

    /// Sends a peer message: dropped, delayed (minimum plus an exponential part, which reorders), duplicated,
    /// and sometimes accompanied by the replay of an old message, as the plan says. A replay stays within the
    /// lifetimes of the two processes that exchanged the message: a new process never receives what was sent to
    /// its predecessor.
    func send(_ message: PeerMessage, from: Int, to: Int) {
        self.stats.messages += 1
        let link = self.links[from][to]
        let active = self.faultsActive
        guard link.up, !link.blocked else {
            self.stats.dropped += 1
            return
        }
        if active, self.networkRandom.chance(self.plan.drop) {
            self.stats.dropped += 1
            return
        }
        self.schedule(
            .deliver(from: from, to: to, connection: link.connection, message),
            at: self.now + self.latency()
        )
        if active, self.networkRandom.chance(self.plan.duplicate) {
            self.stats.duplicated += 1
            self.schedule(
                .deliver(from: from, to: to, connection: link.connection, message),
                at: self.now + self.latency()
            )
        }
        if active, !self.replayable.isEmpty, self.networkRandom.chance(self.plan.replay) {
            let old = self.replayable[self.networkRandom.index(self.replayable.count)]
            let oldLink = self.links[old.from][old.to]
            let same =
                self.nodes[old.from].generation == old.generations.0
                && self.nodes[old.to].generation == old.generations.1
            if oldLink.up, same {
                self.stats.replayed += 1
                self.schedule(
                    .deliver(from: old.from, to: old.to, connection: oldLink.connection, old.message),
                    at: self.now + self.latency()
                )
            }
        }
        if self.plan.replay > 0 {
            let entry = (from, to, message, (self.nodes[from].generation, self.nodes[to].generation))
            if self.replayable.count < 64 {
                self.replayable.append(entry)
            } else {
                self.replayable[self.networkRandom.index(64)] = entry
            }
        }
    }

    func latency() -> Int64 {
        self.plan.latencyMinimum + self.networkRandom.exponential(mean: self.plan.latencyMean)
    }

    /// A message reaches its receiver, unless its connection ended, a partition blocks it, or the receiver is down.
    func arrive(_ message: PeerMessage, from: Int, to: Int, connection: UInt64) {
        let link = self.links[from][to]
        guard link.up, !link.blocked, link.connection == connection, self.nodes[to].core != nil else {
            self.stats.dropped += 1
            return
        }
        var note = "<- \(self.ids[from]) \(Describe.message(message))"
        if case .snapshot(let offer) = message, let core = self.nodes[to].core {
            note +=
                " mine="
                + offer.shards.map {
                    "\(core.version(ofShard: $0.shard).epoch).\(core.version(ofShard: $0.shard).sequence)"
                }
                .joined(separator: ",")
        }
        self.deliver(.message(from: self.ids[from], message), to: to, flush: true, note: note)
    }

    // MARK: Connections

    /// Opens a connection between two running nodes; each hears about it after a short delay.
    func connect(_ a: Int, _ b: Int) {
        for (from, to) in [(a, b), (b, a)] {
            self.links[from][to].up = true
            self.links[from][to].connection += 1
        }
        for (node, peer) in [(a, b), (b, a)] {
            self.schedule(
                .connection(node, peer: peer, up: true, self.nodes[node].generation),
                at: self.now + self.networkRandom.int(100...3000)
            )
        }
    }

    /// Ends the connection between two nodes: messages in flight are lost, and each running end hears it
    /// went down.
    func disconnect(_ a: Int, _ b: Int) {
        for (from, to) in [(a, b), (b, a)] {
            self.links[from][to].up = false
            self.links[from][to].connection += 1
        }
        for (node, peer) in [(a, b), (b, a)] where self.nodes[node].core != nil {
            self.schedule(
                .connection(node, peer: peer, up: false, self.nodes[node].generation),
                at: self.now + self.networkRandom.int(100...3000)
            )
        }
    }

    // MARK: Partitions

    /// Starts a partition: one node isolated, a random split, or one link; symmetric or one direction only.
    func startPartition() {
        let count = self.nodes.count
        var sideA: [Int] = []
        let shape = self.faultRandom.below(3)
        if shape == 0 || count < 3 {
            sideA = [self.faultRandom.index(count)]
        } else {
            while sideA.isEmpty || sideA.count == count {
                sideA = (0..<count).filter { _ in self.faultRandom.chance(0.5) }
            }
        }
        let sideB = (0..<count).filter { !sideA.contains($0) }
        let asymmetric = self.faultRandom.chance(self.plan.asymmetric)
        let direction = self.faultRandom.below(2)
        var pairs: [(Int, Int)] = []
        if shape == 2, count >= 2 {
            let a = self.faultRandom.index(count)
            var b = self.faultRandom.index(count - 1)
            if b >= a { b += 1 }
            pairs = [(a, b)]
            if !asymmetric { pairs.append((b, a)) }
        } else {
            for a in sideA {
                for b in sideB {
                    if !asymmetric || direction == 0 { pairs.append((a, b)) }
                    if !asymmetric || direction == 1 { pairs.append((b, a)) }
                }
            }
        }
        for (from, to) in pairs { self.links[from][to].blocked = true }
        let text = pairs.map { "\(self.ids[$0.0])->\(self.ids[$0.1])" }.joined(separator: ",")
        let id = self.nextPartitionID
        self.nextPartitionID += 1
        self.partition = ActivePartition(id: id, description: text, start: self.now)
        self.stats.partitions += 1
        self.checker.partitionStarted(at: self.now)
        self.write("partition #\(id) \(asymmetric ? "asymmetric" : "symmetric") blocks \(text)")
        let duration = 100_000 + self.faultRandom.exponential(mean: self.plan.partitionMean)
        self.schedule(.healPartition(id), at: self.now + duration)
    }

    /// Ends the partition in force.
    func healPartition() {
        guard let partition = self.partition else { return }
        for from in self.links.indices {
            for to in self.links[from].indices { self.links[from][to].blocked = false }
        }
        self.partition = nil
        self.checker.partitionEnded(at: self.now)
        self.write("partition #\(partition.id) healed")
    }
}

import QuotaCluster
import QuotaCore

/// One deterministic run: several real ``QuotaCluster/ClusterNode``s (each with its real
/// ``QuotaCore/QuotaLedger``) on simulated clocks, a simulated network and simulated disks, driven by a
/// workload of clients, under faults, with checkers watching every answer. Everything comes from
/// ``SimulationOptions/seed``.
///
/// A run has three phases: the fault phase (``SimulationOptions/duration``), the healed phase (partitions
/// healed, crashed nodes restarted, faults off, workload on) and the drain (clients finish what they started,
/// disks catch up); then the final checks run. The first violation stops the run.
public final class Simulation {
    /// The run's options.
    public let options: SimulationOptions
    /// The faults the seed drew.
    public let plan: FaultPlan

    let ids: [NodeID]
    let timings: ClusterTimings
    /// The ring every member builds, for the checkers' tenant-to-shard lookups.
    let ring: HashRing
    let wallBase: Int64
    var queue = EventQueue<SimEvent>()
    /// True simulated time, microseconds since the run began.
    var now: Int64 = 0
    var nodes: [SimNode] = []
    var links: [[Link]]
    var trace: Trace

    var networkRandom: SimRandom
    var diskRandom: SimRandom
    var workloadRandom: SimRandom
    var faultRandom: SimRandom

    /// Old messages a replay may deliver again.
    var replayable: [(from: Int, to: Int, message: PeerMessage, generations: (UInt64, UInt64))] = []
    var partition: ActivePartition?
    var nextPartitionID = 0

    var workload: Workload
    var checker: Checker
    var stats = RunStatistics()
    var violation: Violation?

    var faultsActive = true
    var healTime: Int64
    var clientsStop: Int64
    var outputs: [ClusterOutput] = []

    static let tickMilliseconds: Int64 = 20
    static let flushIntervalMilliseconds: Int64 = 100
    static let faultTick: Int64 = 100_000
    static let checkInterval: Int64 = 50_000

    /// Prepares a run.
    ///
    /// - Parameter sink: receives every trace line (for `--trace FILE`).
    public init(options: SimulationOptions, sink: (@Sendable (String) -> Void)? = nil) throws {
        self.options = options
        var root = SimRandom(seed: options.seed)
        var planRandom = root.fork()
        self.networkRandom = root.fork()
        self.diskRandom = root.fork()
        self.workloadRandom = root.fork()
        self.faultRandom = root.fork()
        var clockRandom = root.fork()
        self.plan = FaultPlan.draw(options.faults, &planRandom)
        self.ids = try (1...options.nodes).map { try NodeID("n\($0)") }
        self.timings = try ClusterTimings()
        self.ring = try HashRing(members: self.ids, virtualNodesPerMember: options.virtualNodesPerMember)
        // Half the runs cross the end of March 2026 (monthly periods roll over mid-run); the others start ten days
        // earlier, at a random time of day.
        let monthEnd: Int64 = 1_775_001_600_000
        if clockRandom.chance(0.5) {
            self.wallBase = monthEnd - clockRandom.int(0...(options.duration + options.healedDuration) * 1000)
        } else {
            self.wallBase = monthEnd - 10 * 86_400_000 + clockRandom.int(0...86_400_000)
        }
        self.links = Array(repeating: Array(repeating: Link(), count: options.nodes), count: options.nodes)
        self.trace = Trace(keep: options.reportLines, sink: sink)
        self.workload = try Workload(options: options, random: &self.workloadRandom)
        self.checker = Checker(tenants: self.workload.tenants)
        self.healTime = options.duration * 1_000_000
        self.clientsStop = (options.duration + options.healedDuration) * 1_000_000
        for (index, id) in self.ids.enumerated() {
            var clock = NodeClock(
                ratePPM: self.plan.driftPPM > 0 ? clockRandom.int(-self.plan.driftPPM...self.plan.driftPPM) : 0,
                monotonicOrigin: clockRandom.int(1_000_000...1_000_000_000_000),
                wallOffset: 0
            )
            if self.plan.offsetMilliseconds > 0 {
                clock.wallOffset = clockRandom.int(-self.plan.offsetMilliseconds...self.plan.offsetMilliseconds)
            }
            self.nodes.append(SimNode(index: index, id: id, clock: clock))
        }
    }

    /// Runs to the end (or to the first violation) and reports.
    public func run() -> SimulationResult {
        self.write("seed \(self.options.seed) nodes=\(self.options.nodes) tenants=\(self.options.tenants)")
        self.write("faults \(self.options.faults.rawValue): \(self.plan)")
        self.write("wall_base \(Timestamp(millisecondsSinceEpoch: self.wallBase))")
        for node in self.nodes {
            self.write(
                "clock \(node.id) drift_ppm=\(node.clock.ratePPM) wall_offset=\(node.clock.wallOffset)ms"
            )
        }
        for plan in self.workload.tenants {
            let shard = self.ring.shardIndex(of: plan.id)
            let preference = self.ring.replicas(ofShard: shard, count: self.ids.count).map(\.rawValue)
            self.write("tenant \(plan.id) shard s\(shard) preference \(preference.joined(separator: ","))")
        }
        for index in self.nodes.indices { self.start(index) }
        self.schedule(.faultTick, at: Self.faultTick)
        self.schedule(.check, at: Self.checkInterval)
        self.schedule(.heal, at: self.healTime)
        self.schedule(.stopClients, at: self.clientsStop)
        self.workload.startSetup(self)
        let deadline = self.clientsStop + (self.options.livenessBound + 10) * 1_000_000
        while self.violation == nil, let (time, event) = self.queue.pop() {
            if time > deadline { break }
            self.now = time
            self.handle(event)
            if self.now >= self.clientsStop, self.workload.idle, self.drained() { break }
        }
        if self.violation == nil { self.finalChecks() }
        return self.result()
    }

    // MARK: Events

    func schedule(_ event: SimEvent, at time: Int64) { self.queue.schedule(event, at: time) }

    func handle(_ event: SimEvent) {
        switch event {
        case .tick(let index, let generation):
            guard self.nodes[index].generation == generation, self.nodes[index].core != nil else { return }
            self.deliver(.tick, to: index, flush: false, note: nil)
            self.scheduleLocal(.tick(index, generation), node: index, milliseconds: Self.tickMilliseconds)
        case .flushTimer(let index, let generation):
            guard self.nodes[index].generation == generation, self.nodes[index].core != nil else { return }
            if !self.nodes[index].writing { self.startFlush(index) }
            self.scheduleLocal(
                .flushTimer(index, generation),
                node: index,
                milliseconds: Self.flushIntervalMilliseconds
            )
        case .diskDone(let index, let generation):
            guard self.nodes[index].generation == generation else { return }
            self.finishFlush(index)
        case .collectionRead(let index, let generation, let collection):
            guard self.nodes[index].generation == generation, self.nodes[index].core != nil else { return }
            let events = self.nodes[index].disk.events(of: collection.periods)
            self.deliver(
                .snapshotCollected(id: collection.id, events: events),
                to: index,
                flush: true,
                note: "collected #\(collection.id) events=\(events.count)"
            )
        case .deliver(let from, let to, let connection, let message):
            self.arrive(message, from: from, to: to, connection: connection)
        case .connection(let index, let peer, let up, let generation):
            guard self.nodes[index].generation == generation, self.nodes[index].core != nil else { return }
            self.deliver(
                .connectionChanged(self.ids[peer], up: up),
                to: index,
                flush: false,
                note: "connection \(self.ids[peer]) \(up ? "up" : "down")"
            )
        case .arrive(let index, let generation, let token, let operation):
            guard self.nodes[index].generation == generation, self.nodes[index].core != nil else {
                self.workload.refused(token: token, self)
                return
            }
            self.deliver(.request(ClientToken(token), operation), to: index, flush: true, note: "request #\(token)")
        case .clientReply(let token, let reply):
            self.workload.reply(token: token, reply, self)
        case .clientTimeout(let client, let attempt):
            self.workload.timeout(client: client, attempt: attempt, self)
        case .clientWake(let client):
            self.workload.wake(client: client, self)
        case .faultTick:
            guard self.faultsActive else { return }
            self.injectFaults()
            self.schedule(.faultTick, at: self.now + Self.faultTick)
        case .restart(let index):
            guard self.nodes[index].core == nil else { return }
            self.start(index)
        case .healPartition(let id):
            if self.partition?.id == id { self.healPartition() }
        case .reconnect(let a, let b, let generationA, let generationB):
            let same = self.nodes[a].generation == generationA && self.nodes[b].generation == generationB
            guard same, self.nodes[a].core != nil, self.nodes[b].core != nil, !self.links[a][b].up else { return }
            self.write("reconnect \(self.ids[a])<->\(self.ids[b])")
            self.connect(a, b)
        case .heal:
            self.heal()
        case .stopClients:
            self.workload.stopping = true
            self.write("clients stop starting operations")
        case .check:
            self.periodicChecks()
            self.schedule(.check, at: self.now + Self.checkInterval)
        }
    }

    /// Schedules `event` after `milliseconds` of node `index`'s clock.
    func scheduleLocal(_ event: SimEvent, node index: Int, milliseconds: Int64) {
        self.schedule(event, at: self.now + self.nodes[index].clock.trueDuration(ofLocal: milliseconds * 1000))
    }

    /// Node `index`'s clock reading now.
    func time(of index: Int) -> ClusterTime { self.nodes[index].clock.time(at: self.now, wallBase: self.wallBase) }

    // MARK: Nodes

    /// Starts (or restarts) a node's process: a new incarnation with memory rebuilt from its disk.
    func start(_ index: Int) {
        let node = self.nodes[index]
        let incarnation = node.disk.beginIncarnation()
        let now = self.time(of: index)
        var ledgerConfiguration = LedgerConfiguration()
        ledgerConfiguration.defects = self.options.ledgerDefects
        let ledger = QuotaLedger(
            configuration: ledgerConfiguration,
            eventIDPrefix: "\(node.id)-\(incarnation)",
            recovered: node.disk.recovered(now: now.wall),
            now: now.wall
        )
        var configuration = try! ClusterConfiguration(
            nodeID: node.id,
            members: self.ids,
            virtualNodesPerMember: self.options.virtualNodesPerMember,
            timings: self.timings
        )
        configuration.defects = self.options.clusterDefects
        node.core = ClusterNode(configuration: configuration, incarnation: incarnation, ledger: ledger)
        node.generation += 1
        node.writing = false
        node.inFlight = nil
        node.collections = []
        self.write("\(node.id) start incarnation=\(incarnation) records=\(ledger.tenantIDs.count)")
        let generation = node.generation
        self.schedule(.tick(index, generation), at: self.now + self.networkRandom.int(1...20_000))
        self.schedule(.flushTimer(index, generation), at: self.now + self.networkRandom.int(1...100_000))
        for peer in self.nodes.indices where peer != index && self.nodes[peer].core != nil {
            self.connect(index, peer)
        }
    }

    /// Kills a node's process: memory, timers and connections are gone; the disk keeps what completed writes
    /// stored (a write in flight committed or not, as the plan draws).
    func crash(_ index: Int) {
        let node = self.nodes[index]
        guard node.core != nil else { return }
        var note = ""
        if node.writing, let batch = node.inFlight {
            if self.diskRandom.chance(self.plan.commitBeforeCrash) {
                node.disk.persist(batch)
                note = " (write in flight committed)"
            } else {
                note = " (write in flight lost)"
            }
        }
        let unflushed = node.core?.ledger.writeBehind.unflushedCount ?? 0
        node.core = nil
        node.generation += 1
        node.writing = false
        node.inFlight = nil
        node.collections = []
        self.stats.crashes += 1
        self.write("\(node.id) crash unflushed=\(unflushed)\(note)")
        for peer in self.nodes.indices where peer != index {
            self.disconnect(index, peer)
        }
    }

    /// Hands one input to a node's cluster core and carries out what it asks.
    func deliver(_ input: ClusterInput, to index: Int, flush: Bool, note: String?) {
        let node = self.nodes[index]
        guard node.core != nil else { return }
        let now = self.time(of: index)
        if let note { self.write("\(node.id) \(note)") }
        var outputs: [ClusterOutput] = []
        swap(&outputs, &self.outputs)
        outputs.removeAll(keepingCapacity: true)
        node.core!.handle(input, now: now, into: &outputs)
        if flush { node.core!.handle(.flushOutbound, now: now, into: &outputs) }
        for output in outputs {
            switch output {
            case .send(let to, let message):
                guard let peer = self.ids.firstIndex(of: to) else { continue }
                self.send(message, from: index, to: peer)
            case .reply(let token, let reply):
                self.workload.replied(token: token.value, reply, self)
            case .collectSnapshot(let collection):
                self.write("\(node.id) collect #\(collection.id) periods=\(collection.periods.count)")
                node.collections.append(collection)
                if !node.writing { self.startFlush(index) }
            }
        }
        swap(&outputs, &self.outputs)
    }

    // MARK: Write-behind

    /// Takes the next batch and starts writing it; with nothing pending, serves waiting snapshot collections.
    func startFlush(_ index: Int) {
        let node = self.nodes[index]
        guard node.core != nil, !node.writing else { return }
        if let batch = node.core!.takeFlushBatch() {
            node.writing = true
            node.inFlight = batch
            let latency = self.plan.writeLatencyMinimum + self.diskRandom.exponential(mean: self.plan.writeLatencyMean)
            self.schedule(.diskDone(index, node.generation), at: self.now + latency)
            return
        }
        guard !node.collections.isEmpty else { return }
        let collections = node.collections
        node.collections = []
        for collection in collections {
            let latency = self.plan.writeLatencyMinimum + self.diskRandom.exponential(mean: self.plan.writeLatencyMean)
            self.schedule(.collectionRead(index, node.generation, collection), at: self.now + latency)
        }
    }

    /// A write completed: it failed (the batch goes back to memory, waiting snapshot reads are abandoned, as the
    /// runtime does) or the batch is durable.
    func finishFlush(_ index: Int) {
        let node = self.nodes[index]
        guard node.writing, let batch = node.inFlight, node.core != nil else { return }
        node.writing = false
        node.inFlight = nil
        if self.faultsActive, self.diskRandom.chance(self.plan.writeFailure) {
            node.core!.flushFailed()
            self.stats.writeFailures += 1
            self.write(
                "\(node.id) write failed entries=\(batch.entryCount) collections_dropped=\(node.collections.count)"
            )
            node.collections = []
            return
        }
        node.disk.persist(batch)
        node.core!.flushSucceeded()
        if !node.collections.isEmpty { self.startFlush(index) }
    }

    /// Whether every node is up with nothing left to write.
    func drained() -> Bool {
        self.nodes.allSatisfy { node in
            guard let core = node.core else { return false }
            return !node.writing && core.ledger.writeBehind.unflushedCount == 0
        }
    }

    // MARK: Output

    func write(_ text: String) {
        self.trace.write(Format.seconds(self.now) + " " + text)
    }

    func fail(_ check: String, _ message: String) {
        guard self.violation == nil else { return }
        self.write("VIOLATION \(check): \(message)")
        self.violation = Violation(check: check, message: message, time: self.now)
    }

    func result() -> SimulationResult {
        SimulationResult(
            seed: self.options.seed,
            violation: self.violation,
            simulatedMicroseconds: self.now,
            operations: self.workload.completed,
            statistics: self.stats,
            checker: self.checker.summary,
            traceHash: self.trace.hash,
            traceLines: self.trace.count,
            lastLines: self.trace.lastLines,
            plan: self.plan
        )
    }
}

/// What the simulator keeps about one node: its process (if running), clock, disk and write-behind state.
final class SimNode {
    let index: Int
    let id: NodeID
    var core: ClusterNode?
    /// Grows with every start and crash; events of an older generation are ignored.
    var generation: UInt64 = 0
    var clock: NodeClock
    var disk = SimDisk()
    var writing = false
    var inFlight: FlushBatch?
    /// Snapshot collections waiting for the write-behind buffer to drain.
    var collections: [SnapshotCollection] = []

    init(index: Int, id: NodeID, clock: NodeClock) {
        self.index = index
        self.id = id
        self.clock = clock
    }
}

/// Something that happens at a simulated instant.
enum SimEvent {
    case tick(Int, UInt64)
    case flushTimer(Int, UInt64)
    case diskDone(Int, UInt64)
    case collectionRead(Int, UInt64, SnapshotCollection)
    case deliver(from: Int, to: Int, connection: UInt64, PeerMessage)
    case connection(Int, peer: Int, up: Bool, UInt64)
    case arrive(Int, UInt64, token: UInt64, ClusterOperation)
    case clientReply(token: UInt64, ClusterReply)
    case clientTimeout(client: Int, attempt: UInt64)
    case clientWake(client: Int)
    case faultTick
    case restart(Int)
    case healPartition(Int)
    case reconnect(Int, Int, UInt64, UInt64)
    case heal
    case stopClients
    case check
}

/// A failed check.
public struct Violation: Sendable, Hashable {
    /// The check's name, e.g. `lost-ack`.
    public var check: String
    /// What was wrong.
    public var message: String
    /// When, in simulated microseconds.
    public var time: Int64
}

/// Counts of what a run injected and saw.
public struct RunStatistics: Sendable, Hashable {
    /// Process crashes.
    public var crashes = 0
    /// Partitions.
    public var partitions = 0
    /// Connection resets.
    public var resets = 0
    /// Wall-clock jumps.
    public var jumps = 0
    /// Failed disk writes.
    public var writeFailures = 0
    /// Messages sent between nodes.
    public var messages = 0
    /// Messages dropped (by the drop fault, a partition, a reset or a dead receiver).
    public var dropped = 0
    /// Extra copies delivered.
    public var duplicated = 0
    /// Old messages delivered again.
    public var replayed = 0
}

/// The outcome of one run.
public struct SimulationResult: Sendable {
    /// The seed.
    public var seed: UInt64
    /// The first violation, if any.
    public var violation: Violation?
    /// Simulated time covered, microseconds.
    public var simulatedMicroseconds: Int64
    /// Client operations completed (answered or given up).
    public var operations: Int
    /// Fault and message counts.
    public var statistics: RunStatistics
    /// What the checkers measured.
    public var checker: CheckerSummary
    /// The trace hash.
    public var traceHash: UInt64
    /// Trace lines written.
    public var traceLines: Int
    /// The last trace lines.
    public var lastLines: [String]
    /// The fault plan.
    public var plan: FaultPlan
}

extension Simulation {
    /// Every node's stored usage records and events of `tenant`, one line each, for debugging a failed seed
    /// (`quota-sim --dump-tenant`).
    public func dump(tenant name: String) -> [String] {
        guard let tenant = try? TenantID(name) else { return ["no tenant '\(name)'"] }
        var lines: [String] = []
        for node in self.nodes {
            let role = node.core.map { "\($0.shard(self.ring.shardIndex(of: tenant)))" } ?? "down"
            lines.append("\(node.id) \(role)")
            for record in node.disk.records(of: tenant) {
                lines.append("  record \(record.metric) \(record.periodStart) usage=\(record.usage)")
            }
            for event in node.disk.events(of: tenant) {
                lines.append(
                    "  event \(event.eventID) seq=\(event.sequence) \(event.metric) \(event.periodStart) "
                        + "amount=\(event.amount) key=\(event.idempotencyKey?.rawValue ?? "-") created=\(event.createdAt)"
                )
            }
        }
        return lines
    }
}

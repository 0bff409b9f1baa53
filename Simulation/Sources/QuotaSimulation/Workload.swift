import QuotaCluster
import QuotaCore

/// The metrics every simulated tenant has.
enum Metrics {
    /// A rate limit: a short period (second or minute) that rolls over during a run; consume only.
    static let calls = try! MetricCode("calls")
    /// A monthly allowance whose limit changes during a run; consume only.
    static let credits = try! MetricCode("credits")
    /// A monthly gauge: consumed and released.
    static let products = try! MetricCode("products")
    /// Metrics whose usage only grows within a period: the read and lost-acknowledgement checks use them.
    static let growOnly: Set<MetricCode> = [calls, credits]
}

/// One tenant's limits as the setup phase installs them.
struct TenantPlan: Sendable {
    let id: TenantID
    var limits: [Limit]
}

/// A client operation, from its first attempt to its answer (or until its client gives up).
struct PendingOperation: Sendable {
    enum Kind: String, Sendable {
        case consume, check, release, status, limits
        case setLimit = "set-limit"
        case setup
    }

    let id: Int
    let kind: Kind
    let tenant: TenantID
    let request: ClusterOperation
    /// A consume or release with an idempotency key: retried after a timeout or `unavailable`.
    let keyed: Bool
    let started: Int64
    var attempts = 0
    var sentAt: Int64 = 0
    /// Some attempt's outcome is unknown (it timed out or got `unavailable`).
    var uncertain = false

    /// Whether a failed attempt may be sent again: reads, limit changes (setting a limit twice is harmless) and
    /// keyed usage changes.
    var retryable: Bool {
        switch self.kind {
        case .consume, .release: self.keyed
        case .check, .status, .limits, .setLimit, .setup: true
        }
    }
}

/// Clients sending operations to random nodes, plus an administrator that installs the limits first.
///
/// Each client runs a closed loop: it picks a tenant (Zipf-skewed), an operation and a node, waits for the
/// answer, and thinks for an exponential while. A timed-out or `unavailable` attempt is indeterminate: a keyed
/// consume or release is retried with the same idempotency key; a keyless one is given up, and the checkers
/// treat it as maybe applied.
final class Workload {
    struct Client {
        var operation: PendingOperation?
        var attempt: UInt64 = 0
    }

    let tenants: [TenantPlan]
    let zipf: ZipfSampler
    let thinkMean: Int64
    var random: SimRandom
    var clients: [Client]
    /// Attempts in flight: token → (client, attempt).
    var tokens: [UInt64: (client: Int, attempt: UInt64)] = [:]
    var nextToken: UInt64 = 1
    var nextOperation = 1
    var completed = 0
    var stopping = false
    var setup: [ClusterOperation] = []
    var setupDone = false

    static let clientTimeout: Int64 = 3_000_000
    static let admin = 0

    init(options: SimulationOptions, random: inout SimRandom) throws {
        self.random = random.fork()
        self.thinkMean = options.thinkMean
        self.zipf = ZipfSampler(count: options.tenants, exponent: self.random.chance(0.5) ? 1 : 2)
        var tenants: [TenantPlan] = []
        for index in 0..<options.tenants {
            let id = try TenantID("t\(index < 10 ? "0" : "")\(index)")
            tenants.append(TenantPlan(id: id, limits: try Self.initialLimits(id, &self.random)))
        }
        self.tenants = tenants
        self.clients = Array(repeating: Client(), count: options.clients + 1)
    }

    static func enforcement(_ random: inout SimRandom, hard: Double) -> Enforcement {
        if random.chance(hard) { return .hard }
        return random.chance(0.5) ? .soft : .none
    }

    static func initialLimits(_ tenant: TenantID, _ random: inout SimRandom) throws -> [Limit] {
        let perSecond = random.chance(0.5)
        return [
            try Limit(
                tenant: tenant,
                metric: Metrics.calls,
                value: perSecond ? random.int(1...6) : random.int(20...120),
                period: PeriodSpec(unit: perSecond ? .second : .minute),
                enforcement: Self.enforcement(&random, hard: 0.7)
            ),
            try Limit(
                tenant: tenant,
                metric: Metrics.credits,
                value: random.int(50...1500),
                period: PeriodSpec(unit: .month),
                enforcement: Self.enforcement(&random, hard: 0.7)
            ),
            try Limit(
                tenant: tenant,
                metric: Metrics.products,
                value: random.int(5...40),
                period: PeriodSpec(unit: .month),
                enforcement: random.chance(0.5) ? .soft : .none
            ),
        ]
    }

    /// Whether no operation is outstanding.
    var idle: Bool { self.clients.allSatisfy { $0.operation == nil } }

    // MARK: Driving

    /// The administrator installs every limit, one at a time; the clients start once it is done.
    func startSetup(_ sim: Simulation) {
        self.setup = self.tenants.flatMap { $0.limits.map { ClusterOperation.setLimit($0) } }
        for plan in self.tenants {
            for limit in plan.limits { sim.checker.limitAttempted(limit) }
        }
        sim.schedule(.clientWake(client: Self.admin), at: 50_000)
    }

    func wake(client: Int, _ sim: Simulation) {
        if self.clients[client].operation != nil {
            self.send(client: client, sim)
            return
        }
        if client == Self.admin {
            guard !self.setup.isEmpty else { return }
            let request = self.setup.removeFirst()
            self.begin(client: client, kind: .setup, tenant: request.tenant, request: request, keyed: false, sim)
            return
        }
        guard !self.stopping else { return }
        self.startOperation(client: client, sim)
    }

    func begin(
        client: Int,
        kind: PendingOperation.Kind,
        tenant: TenantID,
        request: ClusterOperation,
        keyed: Bool,
        _ sim: Simulation
    ) {
        let operation = PendingOperation(
            id: self.nextOperation,
            kind: kind,
            tenant: tenant,
            request: request,
            keyed: keyed,
            started: sim.now
        )
        self.nextOperation += 1
        self.clients[client].operation = operation
        sim.write("client \(client) op \(operation.id) begin \(Describe.operation(request))")
        self.send(client: client, sim)
    }

    /// Draws the next operation of a workload client.
    func startOperation(client: Int, _ sim: Simulation) {
        let plan = self.tenants[self.zipf.draw(&self.random)]
        let tenant = plan.id
        let id = self.nextOperation
        let keyed = self.random.chance(0.9)
        let key = keyed ? try! IdempotencyKey("op-\(id)") : nil
        let metadata = "{\"op\":\(id)}"
        let roll = self.random.below(100)
        let request: ClusterOperation
        let kind: PendingOperation.Kind
        switch roll {
        case 0..<50:
            kind = .consume
            var items = SmallArray<UsageRequest.Item>()
            let shape = self.random.below(10)
            if shape < 7 { items.append(UsageRequest.Item(metric: Metrics.calls, amount: 1)) }
            if shape >= 4 && shape < 9 {
                items.append(UsageRequest.Item(metric: Metrics.credits, amount: self.random.int(1...8)))
            }
            if shape == 9 { items.append(UsageRequest.Item(metric: Metrics.products, amount: self.random.int(1...3))) }
            request = .consume(
                try! UsageRequest(tenant: tenant, items: items, idempotencyKey: key, metadata: metadata)
            )
        case 50..<62:
            kind = .check
            let metric = self.random.chance(0.5) ? Metrics.calls : Metrics.credits
            request = .check(
                try! UsageRequest(
                    tenant: tenant,
                    items: [UsageRequest.Item(metric: metric, amount: self.random.int(0...3))],
                    allowZeroAmounts: true
                )
            )
        case 62..<72:
            kind = .release
            request = .release(
                try! UsageRequest(
                    tenant: tenant,
                    items: [UsageRequest.Item(metric: Metrics.products, amount: self.random.int(1...3))],
                    idempotencyKey: key,
                    metadata: metadata
                )
            )
        case 72..<94:
            kind = .status
            request = .status(tenant)
        case 94..<98:
            kind = .limits
            request = .limits(tenant)
        default:
            kind = .setLimit
            let limit = try! Limit(
                tenant: tenant,
                metric: Metrics.credits,
                value: self.random.int(50...1500),
                period: PeriodSpec(unit: .month),
                enforcement: Self.enforcement(&self.random, hard: 0.8)
            )
            sim.checker.limitAttempted(limit)
            request = .setLimit(limit)
        }
        self.begin(client: client, kind: kind, tenant: tenant, request: request, keyed: keyed, sim)
    }

    /// Sends the client's operation (again) to a random node.
    func send(client: Int, _ sim: Simulation) {
        guard var operation = self.clients[client].operation else { return }
        operation.attempts += 1
        operation.sentAt = sim.now
        self.clients[client].operation = operation
        self.clients[client].attempt += 1
        let attempt = self.clients[client].attempt
        let token = self.nextToken
        self.nextToken += 1
        self.tokens[token] = (client, attempt)
        let node = self.random.index(sim.nodes.count)
        sim.write("client \(client) op \(operation.id) attempt \(operation.attempts) #\(token) -> \(sim.ids[node])")
        sim.schedule(
            .arrive(node, sim.nodes[node].generation, token: token, operation.request),
            at: sim.now + 100 + self.random.exponential(mean: 300)
        )
        sim.schedule(.clientTimeout(client: client, attempt: attempt), at: sim.now + Self.clientTimeout)
    }

    /// A node answered: the reply travels back to its client.
    func replied(token: UInt64, _ reply: ClusterReply, _ sim: Simulation) {
        sim.schedule(.clientReply(token: token, reply), at: sim.now + 100 + self.random.exponential(mean: 300))
    }

    /// The node was down: the client's connection was refused, so nothing was applied.
    func refused(token: UInt64, _ sim: Simulation) {
        guard let (client, attempt) = self.tokens.removeValue(forKey: token),
            self.clients[client].attempt == attempt, self.clients[client].operation != nil
        else { return }
        sim.write("client \(client) #\(token) refused (node down)")
        self.retry(client: client, sim)
    }

    func reply(token: UInt64, _ reply: ClusterReply, _ sim: Simulation) {
        guard let (client, attempt) = self.tokens.removeValue(forKey: token),
            self.clients[client].attempt == attempt, var operation = self.clients[client].operation
        else { return }
        sim.write("client \(client) op \(operation.id) #\(token) <- \(Describe.reply(reply))")
        if case .failure(let error) = reply.outcome, error.code == .unavailable {
            sim.checker.unavailableReplies += 1
            operation.uncertain = true
            self.clients[client].operation = operation
            if operation.retryable {
                self.retry(client: client, sim)
            } else {
                self.finish(client: client, definite: false, sim)
            }
            return
        }
        sim.observe(reply, of: operation)
        self.finish(client: client, definite: true, sim)
    }

    func timeout(client: Int, attempt: UInt64, _ sim: Simulation) {
        guard self.clients[client].attempt == attempt, var operation = self.clients[client].operation else { return }
        sim.write("client \(client) op \(operation.id) attempt \(operation.attempts) timed out")
        sim.checker.timeouts += 1
        operation.uncertain = true
        self.clients[client].operation = operation
        if operation.retryable {
            self.retry(client: client, sim)
        } else {
            self.finish(client: client, definite: false, sim)
        }
    }

    func retry(client: Int, _ sim: Simulation) {
        self.clients[client].attempt += 1
        sim.checker.retries += 1
        sim.schedule(.clientWake(client: client), at: sim.now + 10_000 + self.random.exponential(mean: 100_000))
    }

    /// The operation is over: answered (`definite`), or given up with an unknown outcome.
    func finish(client: Int, definite: Bool, _ sim: Simulation) {
        guard let operation = self.clients[client].operation else { return }
        self.clients[client].operation = nil
        self.completed += 1
        sim.operationFinished(operation, definite: definite)
        if client == Self.admin {
            if self.setup.isEmpty {
                if !self.setupDone {
                    self.setupDone = true
                    sim.write("setup done")
                    for other in 1..<self.clients.count {
                        sim.schedule(.clientWake(client: other), at: sim.now + self.random.exponential(mean: 20_000))
                    }
                }
            } else {
                sim.schedule(.clientWake(client: client), at: sim.now + 1000)
            }
            return
        }
        guard !self.stopping else { return }
        sim.schedule(.clientWake(client: client), at: sim.now + self.random.exponential(mean: self.thinkMean))
    }
}

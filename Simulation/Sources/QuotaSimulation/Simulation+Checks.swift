import QuotaCluster
import QuotaCore

extension Simulation {
    // MARK: Every answer

    /// Checks a definite answer a client received.
    func observe(_ reply: ClusterReply, of operation: PendingOperation) {
        let checker = self.checker
        switch reply.outcome {
        case .failure(let error):
            self.fail("unexpected-error", "op \(operation.id) \(Describe.operation(operation.request)) got \(error)")
        case .decision(let decision):
            self.checkRanges(decision, operation)
            switch operation.kind {
            case .consume, .release:
                if decision.replayed { checker.replays += 1 }
                let applied = operation.kind == .release || decision.allowed
                if applied, let eventID = decision.eventID {
                    self.acknowledge(eventID, decision, operation)
                } else if applied {
                    self.fail("exactly-once", "op \(operation.id) was applied without an event id")
                } else {
                    checker.denials += 1
                }
                if !decision.replayed { self.checkRead(decision, operation) }
            default:
                checker.reads += 1
                self.checkRead(decision, operation)
            }
        case .status(let metrics):
            checker.reads += 1
            for status in metrics {
                if let limit = status.limit, let remaining = status.remaining, remaining < 0 || remaining > limit {
                    self.fail(
                        "remaining",
                        "status of \(operation.tenant) \(status.metric): remaining \(remaining) limit \(limit)"
                    )
                }
                if status.usage < 0 { self.fail("remaining", "status of \(operation.tenant) has negative usage") }
                guard Metrics.growOnly.contains(status.metric) else { continue }
                self.checkRead(
                    tenant: operation.tenant,
                    metric: status.metric,
                    periodStart: status.period.start,
                    usage: status.usage,
                    operation: operation
                )
            }
        case .limits, .done:
            checker.reads += 1
        }
    }

    /// Usage is never negative, and remaining lies within `0...limit`.
    func checkRanges(_ decision: Decision, _ operation: PendingOperation) {
        for item in decision.results {
            if item.usage < 0 {
                self.fail("remaining", "op \(operation.id) \(item.metric): negative usage \(item.usage)")
            }
            if let limit = item.limit, let remaining = item.remaining, remaining < 0 || remaining > limit {
                self.fail("remaining", "op \(operation.id) \(item.metric): remaining \(remaining) outside 0...\(limit)")
            }
        }
    }

    /// Records an acknowledged usage change and checks that the shard's admitting owner and its follower hold
    /// every acknowledged change of its series right now.
    func acknowledge(_ eventID: String, _ decision: Decision, _ operation: PendingOperation) {
        let checker = self.checker
        if let previous = checker.operationEvents[operation.id], previous != eventID {
            self.fail(
                "exactly-once",
                "op \(operation.id) was acknowledged as \(previous) and as \(eventID): applied twice"
            )
            return
        }
        checker.operationEvents[operation.id] = eventID
        if let known = checker.acknowledged[eventID] {
            if known.operation != operation.id {
                self.fail(
                    "exactly-once",
                    "event \(eventID) acknowledged for op \(known.operation) and op \(operation.id)"
                )
            }
            return
        }
        let request: UsageRequest
        switch operation.request {
        case .consume(let usage), .release(let usage): request = usage
        default: return
        }
        let sign: Int64 = operation.kind == .release ? -1 : 1
        var items: [(metric: MetricCode, amount: Int64, periodStart: Timestamp)] = []
        var series: [Checker.SeriesKey] = []
        for item in request.items {
            guard let result = decision.results.first(where: { $0.metric == item.metric.rawValue }) else { continue }
            items.append((item.metric, sign * item.amount, result.periodStart))
            guard operation.kind == .consume, Metrics.growOnly.contains(item.metric) else { continue }
            let key = Checker.SeriesKey(tenant: request.tenant, metric: item.metric, periodStart: result.periodStart)
            let sum = checker.acknowledgedSum(key) + item.amount
            checker.timelines[key, default: []].append((self.now, sum))
            series.append(key)
        }
        checker.acknowledged[eventID] = Checker.Acknowledged(
            tenant: request.tenant,
            operation: operation.id,
            items: items,
            time: self.now
        )
        checker.acknowledgedOrder.append(eventID)
        checker.acks += 1
        if !series.isEmpty { self.checkReplicasHold(request.tenant, series) }
    }

    /// The node that may admit for the tenant's shard, and its follower, hold at least what was acknowledged of
    /// each series: nothing acknowledged is missing from the replicas that serve.
    func checkReplicasHold(_ tenant: TenantID, _ series: [Checker.SeriesKey]) {
        let shard = self.ring.shardIndex(of: tenant)
        for index in self.nodes.indices {
            guard let core = self.nodes[index].core, core.mayAdmit(shard: shard, now: self.time(of: index)) else {
                continue
            }
            self.checker.ackChecks += 1
            self.checkHolds(core, role: "owner", tenant, series)
            let view = core.shard(shard)
            guard let follower = view.assignment.follower, let other = self.ids.firstIndex(of: follower),
                let followerCore = self.nodes[other].core
            else { continue }
            let theirs = followerCore.shard(shard)
            if theirs.role == .follower, theirs.assignment.epoch == view.assignment.epoch {
                self.checkHolds(followerCore, role: "follower", tenant, series)
            }
        }
    }

    func checkHolds(_ core: ClusterNode, role: String, _ tenant: TenantID, _ series: [Checker.SeriesKey]) {
        for key in series {
            let required = self.checker.acknowledgedSum(key)
            guard let record = core.ledger.counter(tenant: tenant, metric: key.metric) else {
                self.violation(
                    "lost-ack",
                    "\(role) \(core.nodeID) has no counter of \(tenant) \(key.metric); acknowledged \(required)",
                    at: self.now,
                    series: [key]
                )
                return
            }
            if record.periodStart < key.periodStart
                || (record.periodStart == key.periodStart && record.usage < required)
            {
                self.violation(
                    "lost-ack",
                    "\(role) \(core.nodeID) holds \(tenant) \(key.metric) usage \(record.usage) in period "
                        + "\(record.periodStart); clients were acknowledged \(required) in period \(key.periodStart)",
                    at: self.now,
                    series: [key]
                )
                return
            }
        }
    }

    /// A read (check, status, a denial or a decision) of a grow-only metric reports at least the usage
    /// acknowledged before the read began: reads are linearizable for counters that only grow.
    func checkRead(_ decision: Decision, _ operation: PendingOperation) {
        for item in decision.results {
            guard let metric = try? MetricCode(item.metric), Metrics.growOnly.contains(metric) else { continue }
            self.checkRead(
                tenant: operation.tenant,
                metric: metric,
                periodStart: item.periodStart,
                usage: item.usage,
                operation: operation
            )
        }
    }

    func checkRead(
        tenant: TenantID,
        metric: MetricCode,
        periodStart: Timestamp,
        usage: Int64,
        operation: PendingOperation
    ) {
        let key = Checker.SeriesKey(tenant: tenant, metric: metric, periodStart: periodStart)
        let required = self.checker.acknowledgedSum(key, before: operation.sentAt)
        self.checker.readChecks += 1
        if usage < required {
            self.violation(
                "stale-read",
                "op \(operation.id) \(operation.kind.rawValue) read \(tenant) \(metric) usage \(usage) in period "
                    + "\(periodStart); \(required) was acknowledged before it was sent",
                at: self.now,
                series: [key]
            )
        }
    }

    /// An operation ended: checks the liveness bound once the faults stopped.
    func operationFinished(_ operation: PendingOperation, definite: Bool) {
        if !definite, operation.kind == .consume || operation.kind == .release { self.checker.indeterminate += 1 }
        guard let heal = self.checker.healTime, self.now > heal else { return }
        let bound = self.options.livenessBound * 1_000_000
        let waited = self.now - max(heal, operation.started)
        self.checker.longestAfterHeal = max(self.checker.longestAfterHeal, waited)
        if waited > bound {
            self.fail(
                "liveness",
                "op \(operation.id) took \(Format.seconds(waited))s after the heal (bound \(self.options.livenessBound)s)"
            )
        } else if !definite, operation.started >= heal + bound {
            self.fail("liveness", "op \(operation.id) got no definite answer although the faults stopped long ago")
        }
    }

    /// Reports a failed check at `time`, unless the cluster has four or more members and a partition was in
    /// force within the ten seconds before it (or the series already lost acknowledged usage to one): then it is
    /// the split brain docs/cluster.md describes (no quorum), measured and reported, not a violation. Returns
    /// whether the run stops.
    @discardableResult
    func violation(
        _ check: String,
        _ message: String,
        at time: Int64,
        series: [Checker.SeriesKey] = []
    ) -> Bool {
        let explained =
            self.checker.partitioned(from: time - 10_000_000, to: time)
            || series.contains { self.checker.tainted.contains($0) }
        if self.options.nodes >= 4, explained {
            self.checker.tainted.formUnion(series)
            self.checker.splitBrain[check, default: 0] += 1
            if self.checker.splitBrain[check] == 1 { self.write("split-brain \(check): \(message)") }
            return false
        }
        self.fail(check, message)
        return true
    }

    // MARK: Periodic

    /// At most one node may admit for a shard at any instant.
    func periodicChecks() {
        let times = self.nodes.indices.map { self.time(of: $0) }
        self.checker.admitterChecks += 1
        var admitting = Array(repeating: [NodeID](), count: self.ring.shards.count)
        for index in self.nodes.indices {
            guard let core = self.nodes[index].core else { continue }
            for shard in admitting.indices where core.mayAdmit(shard: shard, now: times[index]) {
                admitting[shard].append(self.ids[index])
            }
        }
        for (shard, admitters) in admitting.enumerated() {
            if admitters.count > 1 {
                let names = admitters.map(\.rawValue).joined(separator: ",")
                if self.violation("single-admitter", "shard \(shard) may be admitted by \(names) at once", at: self.now)
                {
                    return
                }
            }
        }
    }

    // MARK: Final

    /// After the drain: every operation answered, every shard served by one owner with a follower in its epoch,
    /// replicas equal (memory and disk), each disk consistent, nothing acknowledged lost, hard limits kept.
    func finalChecks() {
        if !self.workload.idle {
            let open = self.workload.clients.compactMap { $0.operation?.id }.map(String.init).joined(separator: ",")
            self.fail("liveness", "operations \(open) still had no answer at the end of the run")
            return
        }
        guard self.drained() else {
            self.fail("drain", "a node still holds unflushed changes at the end of the run")
            return
        }
        self.write("final checks")
        var replicas: [TenantID: (owner: Int, follower: Int)] = [:]
        for plan in self.workload.tenants {
            guard let pair = self.replicaPair(of: plan.id) else { return }
            replicas[plan.id] = pair
            self.checkConverged(plan.id, owner: pair.owner, follower: pair.follower)
            if self.violation != nil { return }
        }
        for node in self.nodes {
            self.checkDisk(node)
            if self.violation != nil { return }
        }
        self.checkExactlyOnce(replicas)
        if self.violation != nil { return }
        self.checkNothingLost(replicas)
        if self.violation != nil { return }
        self.checkHardLimits(replicas)
    }

    /// The tenant's owner (the one node that may admit) and its follower in the same epoch.
    func replicaPair(of tenant: TenantID) -> (owner: Int, follower: Int)? {
        let shard = self.ring.shardIndex(of: tenant)
        let admitters = self.nodes.indices.filter {
            self.nodes[$0].core?.mayAdmit(shard: shard, now: self.time(of: $0)) == true
        }
        guard admitters.count == 1, let owner = admitters.first, let core = self.nodes[owner].core else {
            self.fail(
                "convergence",
                "shard \(shard) of \(tenant) has \(admitters.count) admitting owners after the heal"
            )
            return nil
        }
        let view = core.shard(shard)
        guard let id = view.assignment.follower, let follower = self.ids.firstIndex(of: id),
            let followerCore = self.nodes[follower].core,
            followerCore.shard(shard).role == .follower,
            followerCore.shard(shard).assignment.epoch == view.assignment.epoch
        else {
            self.fail("convergence", "shard \(shard) of \(tenant) has no follower in epoch \(view.assignment.epoch)")
            return nil
        }
        return (owner, follower)
    }

    /// A counter as it stands at `now`: a record whose period ended counts as 0 in the current period.
    func current(_ record: UsageRecord, spec: PeriodSpec, now: Timestamp) -> (start: Timestamp, usage: Int64) {
        if now < record.periodEnd { return (record.periodStart, record.usage) }
        return (spec.period(containing: now).start, 0)
    }

    /// Owner and follower agree on limits, current counters, idempotency keys and the stored events of the
    /// current periods; each one's stored events add up to its counter.
    func checkConverged(_ tenant: TenantID, owner: Int, follower: Int) {
        guard let ownerCore = self.nodes[owner].core, let followerCore = self.nodes[follower].core else { return }
        let now = self.time(of: owner).wall
        let ours = ownerCore.ledger.snapshot(of: [tenant])
        let theirs = followerCore.ledger.snapshot(of: [tenant])
        let names = "\(self.ids[owner]) (owner) and \(self.ids[follower]) (follower)"
        guard ours.limits == theirs.limits else {
            let describe = { (limits: [Limit]) in
                limits.map { "\($0.metric)=\($0.value)/\($0.enforcement.rawValue)" }.joined(separator: ",")
            }
            self.fail(
                "convergence",
                "\(names) disagree on the limits of \(tenant): \(describe(ours.limits)) and \(describe(theirs.limits))"
            )
            return
        }
        let keys = { (snapshot: TenantSnapshot) in
            snapshot.idempotency.map { "\($0.key)=\($0.decision.eventID ?? "")" }.sorted()
        }
        guard keys(ours) == keys(theirs) else {
            let mine = Set(keys(ours))
            let other = Set(keys(theirs))
            let onlyOurs = mine.subtracting(other).sorted().prefix(3).joined(separator: ",")
            let onlyTheirs = other.subtracting(mine).sorted().prefix(3).joined(separator: ",")
            self.fail(
                "convergence",
                "\(names) disagree on the idempotency keys of \(tenant): owner only [\(onlyOurs)], follower only [\(onlyTheirs)]"
            )
            return
        }
        for limit in ours.limits {
            let spec = limit.period
            let mine = ours.records.first { $0.metric == limit.metric }.map { self.current($0, spec: spec, now: now) }
            let other = theirs.records.first { $0.metric == limit.metric }.map {
                self.current($0, spec: spec, now: now)
            }
            let start = mine?.start ?? other?.start ?? spec.period(containing: now).start
            let usage = mine.map { $0.start == start ? $0.usage : 0 } ?? 0
            let otherUsage = other.map { $0.start == start ? $0.usage : 0 } ?? 0
            guard usage == otherUsage else {
                self.fail("convergence", "\(names) hold \(tenant) \(limit.metric) usage \(usage) and \(otherUsage)")
                return
            }
            for index in [owner, follower] {
                let events = self.nodes[index].disk.events(of: tenant).filter {
                    $0.metric == limit.metric && $0.periodStart == start
                }
                let sum = events.reduce(Int64(0)) { $0 + $1.amount }
                guard sum == usage else {
                    self.fail(
                        "convergence",
                        "\(self.ids[index]) stores events of \(tenant) \(limit.metric) adding up to \(sum); its counter is \(usage)"
                    )
                    return
                }
            }
            let eventSet = { (index: Int) in
                self.nodes[index].disk.events(of: tenant).filter {
                    $0.metric == limit.metric && $0.periodStart == start
                }.map { "\($0.eventID):\($0.amount)" }.sorted()
            }
            guard eventSet(owner) == eventSet(follower) else {
                self.fail("convergence", "\(names) store different events of \(tenant) \(limit.metric)")
                return
            }
        }
        self.checker.convergedTenants += 1
    }

    /// Every disk: each event stored once per metric (a violation otherwise). A stored period whose record differs
    /// from the sum of its events is counted as a history mismatch: the current periods of the final replicas are
    /// held to it strictly (``checkConverged(_:owner:follower:)``), ended periods are history that snapshots do not
    /// reconcile (docs/simulation.md, "Known limitations").
    func checkDisk(_ node: SimNode) {
        for tenant in node.disk.tenantIDs {
            let events = node.disk.events(of: tenant)
            var seen: Set<String> = []
            var sums: [String: Int64] = [:]
            for event in events {
                let id = "\(event.eventID)/\(event.metric)"
                guard seen.insert(id).inserted else {
                    self.fail(
                        "exactly-once",
                        "\(node.id) stores event \(event.eventID) of \(tenant) \(event.metric) twice"
                    )
                    return
                }
                sums["\(event.metric)@\(event.periodStart.millisecondsSinceEpoch)", default: 0] += event.amount
            }
            var recorded: Set<String> = []
            for record in node.disk.records(of: tenant) {
                let key = "\(record.metric)@\(record.periodStart.millisecondsSinceEpoch)"
                recorded.insert(key)
                let sum = sums[key] ?? 0
                if sum != record.usage {
                    self.checker.historyMismatches += 1
                    self.write(
                        "history-mismatch \(node.id) \(tenant) \(record.metric) period \(record.periodStart): usage "
                            + "\(record.usage), events add up to \(sum)"
                    )
                }
            }
            for key in sums.keys.sorted() where !recorded.contains(key) {
                self.checker.historyMismatches += 1
                self.write("history-mismatch \(node.id) \(tenant) \(key): events without a usage record")
            }
        }
    }

    /// Each idempotency key and each client request is applied under one event id in what the owner and the
    /// follower both store (the replicated history), and that id is the one its client was told.
    ///
    /// An event only one replica (or a former replica) stores that conflicts with the replicated history is a
    /// change its node applied as an owner whose follower never acknowledged it, later rolled back by a
    /// snapshot but kept on disk because its period had ended: a phantom, counted and reported (see
    /// docs/simulation.md), not a violation.
    func checkExactlyOnce(_ replicas: [TenantID: (owner: Int, follower: Int)]) {
        func name(_ event: UsageEvent) -> String { "\(event.eventID)/\(event.metric)" }
        for plan in self.workload.tenants {
            guard let pair = replicas[plan.id] else { continue }
            let followerIDs = Set(self.nodes[pair.follower].disk.events(of: plan.id).map(name))
            let shared = self.nodes[pair.owner].disk.events(of: plan.id).filter { followerIDs.contains(name($0)) }
            var byKey: [String: String] = [:]
            var byOperation: [String: String] = [:]
            for event in shared {
                if let key = event.idempotencyKey?.rawValue {
                    if let other = byKey[key], other != event.eventID {
                        self.fail(
                            "exactly-once",
                            "owner and follower of \(plan.id) both store key \(key) as events \(other) and \(event.eventID)"
                        )
                        return
                    }
                    byKey[key] = event.eventID
                }
                if let metadata = event.metadata {
                    if let other = byOperation[metadata], other != event.eventID {
                        self.fail(
                            "exactly-once",
                            "owner and follower of \(plan.id) both store request \(metadata) as events \(other) and \(event.eventID)"
                        )
                        return
                    }
                    byOperation[metadata] = event.eventID
                }
            }
            for (metadata, eventID) in byOperation.sorted(by: { $0.key < $1.key }) {
                guard let digits = metadata.split(separator: ":").last?.dropLast(), let operation = Int(digits),
                    let acknowledged = self.checker.operationEvents[operation]
                else { continue }
                if acknowledged != eventID,
                    self.violation(
                        "exactly-once",
                        "op \(operation) was acknowledged as \(acknowledged) but the replicas of \(plan.id) store \(eventID)",
                        at: self.checker.acknowledged[acknowledged]?.time ?? self.now
                    )
                {
                    return
                }
            }
            let sharedIDs = Set(shared.map(name))
            for node in self.nodes {
                for event in node.disk.events(of: plan.id) where !sharedIDs.contains(name(event)) {
                    let keyConflict = event.idempotencyKey.map {
                        byKey[$0.rawValue].map { $0 != event.eventID } ?? false
                    }
                    let operationConflict = event.metadata.map { byOperation[$0].map { $0 != event.eventID } ?? false }
                    if keyConflict == true || operationConflict == true { self.checker.phantoms += 1 }
                }
            }
        }
    }

    /// Every acknowledged change of a period that is still current is stored by the tenant's owner and
    /// follower.
    func checkNothingLost(_ replicas: [TenantID: (owner: Int, follower: Int)]) {
        for eventID in self.checker.acknowledgedOrder {
            guard let acknowledged = self.checker.acknowledged[eventID],
                let pair = replicas[acknowledged.tenant], let core = self.nodes[pair.owner].core
            else { continue }
            let now = self.time(of: pair.owner).wall
            for item in acknowledged.items {
                guard let limit = core.ledger.limit(tenant: acknowledged.tenant, metric: item.metric),
                    limit.period.period(containing: now).start == item.periodStart
                else { continue }
                for index in [pair.owner, pair.follower] {
                    let stored = self.nodes[index].disk.events(of: acknowledged.tenant).contains {
                        $0.eventID == eventID && $0.metric == item.metric
                    }
                    if !stored,
                        self.violation(
                            "lost-ack",
                            "acknowledged event \(eventID) (\(acknowledged.tenant) \(item.metric) \(item.amount)) is "
                                + "not stored by \(self.ids[index])",
                            at: acknowledged.time,
                            series: [
                                Checker.SeriesKey(
                                    tenant: acknowledged.tenant,
                                    metric: item.metric,
                                    periodStart: item.periodStart
                                )
                            ]
                        )
                    {
                        return
                    }
                }
            }
        }
    }

    /// For each period of a metric that was only ever hard-limited: the distinct events admitted (acknowledged
    /// to clients, or stored by both final replicas) add up to at most the largest limit set. Excess in a period
    /// that overlapped a partition (with four or more members: that followed one, as a split brain can outlast
    /// the heal) is measured and reported; elsewhere it is a violation.
    func checkHardLimits(_ replicas: [TenantID: (owner: Int, follower: Int)]) {
        var admitted: [Checker.SeriesKey: [String: Int64]] = [:]
        var spans: [Checker.SeriesKey: (Int64, Int64)] = [:]
        for eventID in self.checker.acknowledgedOrder {
            guard let acknowledged = self.checker.acknowledged[eventID] else { continue }
            for item in acknowledged.items where item.amount > 0 {
                let key = Checker.SeriesKey(
                    tenant: acknowledged.tenant,
                    metric: item.metric,
                    periodStart: item.periodStart
                )
                admitted[key, default: [:]][eventID] = item.amount
                let span = spans[key] ?? (acknowledged.time, acknowledged.time)
                spans[key] = (min(span.0, acknowledged.time), max(span.1, acknowledged.time))
            }
        }
        for plan in self.workload.tenants {
            guard let pair = replicas[plan.id] else { continue }
            let followerIDs = Set(
                self.nodes[pair.follower].disk.events(of: plan.id).map { "\($0.eventID)/\($0.metric)" }
            )
            for event in self.nodes[pair.owner].disk.events(of: plan.id)
            where event.amount > 0 && followerIDs.contains("\(event.eventID)/\(event.metric)") {
                let key = Checker.SeriesKey(tenant: plan.id, metric: event.metric, periodStart: event.periodStart)
                admitted[key, default: [:]][event.eventID] = event.amount
            }
        }
        for key in admitted.keys.sorted() {
            guard Metrics.growOnly.contains(key.metric),
                let history = self.checker.limits[key.tenant]?[key.metric], history.alwaysHard,
                let events = admitted[key]
            else { continue }
            self.checker.checkedSeries += 1
            let total = events.values.reduce(0, +)
            guard total > history.maximum else { continue }
            let span = spans[key] ?? (0, self.now)
            let splitBrain = self.options.nodes >= 4 && self.checker.partitioned(from: 0, to: span.1)
            if splitBrain || self.checker.partitioned(from: span.0 - 5_000_000, to: span.1) {
                self.checker.overAdmitted += total - history.maximum
                self.checker.overAdmittedSeries += 1
                self.write(
                    "over-admission \(key.tenant) \(key.metric) period \(key.periodStart): \(total) admitted, "
                        + "limit \(history.maximum) (during a partition)"
                )
            } else {
                self.fail(
                    "hard-limit",
                    "\(key.tenant) \(key.metric) period \(key.periodStart): \(total) admitted, hard limit "
                        + "\(history.maximum), no partition; events \(events.keys.sorted().joined(separator: ","))"
                )
                return
            }
        }
    }
}

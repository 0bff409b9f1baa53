import DequeModule
import QuotaCore

extension ClusterNode {
    /// Serves a request if this node may admit for its shard, forwards it to the owner otherwise (unless it
    /// was already forwarded once), and answers `unavailable` when neither is possible.
    mutating func receive(
        _ operation: ClusterOperation,
        from target: ReplyTarget,
        forwarded: Bool,
        now: ClusterTime,
        into outputs: inout [ClusterOutput]
    ) {
        if self.peers.isEmpty {
            // A single member owns every shard and has no follower: no lookup, no replication. The outcome is
            // computed before `answer` is called, so the ledger is mutated in place, not copied.
            let outcome = self.apply(operation, now: now.wall)
            self.answer(target, ClusterReply(outcome, servedBy: self.nodeID), into: &outputs)
            return
        }
        let shard = self.configuration.ring.shardIndex(of: operation.tenant)
        if let refusal = self.admissionRefusal(shard: shard, now: now) {
            let owner = self.shards[shard].assignment.owner
            if !forwarded, case .client(let token) = target, let owner, owner != self.nodeID,
                self.peers[owner]?.connected == true
            {
                let id = self.nextForwardID
                self.nextForwardID += 1
                let deadline = now.monotonic + self.configuration.timings.requestDeadlineMilliseconds
                self.forwards[id] = PendingForward(token: token, owner: owner, deadline: deadline)
                outputs.append(
                    .send(
                        to: owner,
                        .forward(ForwardedRequest(id: id, incarnation: self.incarnation, operation: operation))
                    )
                )
                return
            }
            self.answer(
                target,
                self.unavailable(refusal.message(node: self.nodeID, shard: self.shardName(shard))),
                into: &outputs
            )
            return
        }
        self.serve(operation, shard: shard, target: target, now: now, into: &outputs)
    }

    /// Whether this node may admit requests for the shard of `tenant` at `now`: it owns the shard, the shard is
    /// not moving, its follower is up to date and the follower's lease is valid. The simulator checks that at
    /// most one node may admit for a shard at any instant.
    public func mayAdmit(_ tenant: TenantID, now: ClusterTime) -> Bool {
        self.admissionRefusal(shard: self.configuration.ring.shardIndex(of: tenant), now: now) == nil
    }

    /// Whether this node may admit requests for `shard` (an index of ``HashRing/shards``) at `now`.
    public func mayAdmit(shard: Int, now: ClusterTime) -> Bool {
        self.admissionRefusal(shard: shard, now: now) == nil
    }

    /// The assignment this node knows for `shard` (an index of ``HashRing/shards``) and the role its process
    /// holds in it.
    public func shard(_ shard: Int) -> (assignment: ShardAssignment, role: ShardRole) {
        (self.shards[shard].assignment, self.shards[shard].role)
    }

    /// The version of this node's data of `shard` (an index of ``HashRing/shards``): acknowledged changes as owner,
    /// applied changes as follower.
    public func version(ofShard shard: Int) -> DataVersion { self.shards[shard].version }

    /// Why this node may not admit a request for `shard` now, or `nil` when it may (it owns the shard, which is
    /// not moving, and holds a lease from an up-to-date follower, if any). Cheap: the message is only written
    /// when a refusal is answered (``AdmissionRefusal/message(node:shard:)``).
    func admissionRefusal(shard: Int, now: ClusterTime) -> AdmissionRefusal? {
        let state = self.shards[shard]
        guard state.role == .owner else { return .notOwner(state.assignment.owner) }
        if state.move != nil { return .moving }
        guard let follower = state.assignment.follower else { return nil }
        guard state.followerSynced else { return .followerNotSynced }
        guard let lease = self.peers[follower]?.leaseUntil, lease > now.monotonic else { return .noLease(follower) }
        return nil
    }

    /// Applies the operation to the ledger, replicates its effects and answers once the follower has
    /// acknowledged every change of the shard the answer depends on.
    mutating func serve(
        _ operation: ClusterOperation,
        shard: Int,
        target: ReplyTarget,
        now: ClusterTime,
        into outputs: inout [ClusterOutput]
    ) {
        self.ledger.beginCapture()
        let outcome = self.apply(operation, now: now.wall)
        let delta = self.ledger.endCapture()
        let reply = ClusterReply(outcome, servedBy: self.nodeID)
        guard let follower = self.shards[shard].assignment.follower else {
            self.answer(target, reply, into: &outputs)
            return
        }
        if !delta.isEmpty {
            self.shards[shard].lastSequence = self.enqueue(delta, shard: shard, to: follower)
            let epoch = self.shards[shard].assignment.epoch
            self.shards[shard].applied = DataVersion(epoch: epoch, sequence: self.shards[shard].lastSequence)
        }
        let needed = self.shards[shard].lastSequence
        let early = self.configuration.defects.contains(.answerBeforeReplication)
        guard let acknowledged = self.links[follower]?.acknowledged, acknowledged < needed, !early else {
            self.answer(target, reply, into: &outputs)
            return
        }
        let deadline = now.monotonic + self.configuration.timings.requestDeadlineMilliseconds
        self.waiters[follower, default: []].append(
            Waiter(target: target, shard: shard, sequence: needed, deadline: deadline, reply: reply)
        )
    }

    /// Runs the operation against the ledger.
    mutating func apply(_ operation: ClusterOperation, now: Timestamp) -> ClusterReply.Outcome {
        do {
            switch operation {
            case .consume(let request): return .decision(try self.ledger.consume(request, now: now))
            case .check(let request): return .decision(try self.ledger.check(request, now: now))
            case .release(let request): return .decision(try self.ledger.release(request, now: now))
            case .status(let tenant): return .status(self.ledger.status(of: tenant, now: now))
            case .limits(let tenant): return .limits(self.ledger.limits(of: tenant))
            case .setLimit(let limit):
                try self.ledger.setLimit(limit, now: now)
                return .done
            case .removeLimit(let tenant, let metric):
                try self.ledger.removeLimit(tenant: tenant, metric: metric, now: now)
                return .done
            }
        } catch let error as QuotaError {
            return .failure(error)
        } catch {
            return .failure(QuotaError(.internalError, "internal error"))
        }
    }

    /// A shard's name for messages: the virtual node that starts it (`n1#17`).
    func shardName(_ shard: Int) -> String {
        let node = self.configuration.ring.shards[shard]
        return "\(node.member)#\(node.index)"
    }
}

/// Why a node may not admit a request for a shard; see ``ClusterNode/admissionRefusal(shard:now:)``.
enum AdmissionRefusal: Hashable, Sendable {
    /// The node does not own the shard; the owner it knows, if any.
    case notOwner(NodeID?)
    /// The shard is moving to a new epoch.
    case moving
    /// The shard's follower is not up to date yet.
    case followerNotSynced
    /// The node holds no lease from the shard's follower.
    case noLease(NodeID)

    /// The message of the `unavailable` answer, for `node` and the shard named `shard`.
    func message(node: NodeID, shard: String) -> String {
        switch self {
        case .notOwner(let owner):
            "node '\(node)' does not own shard \(shard) (owner \(owner.map { "'\($0)'" } ?? "not known yet")); retry"
        case .moving: "shard \(shard) is moving to a new epoch; retry"
        case .followerNotSynced: "shard \(shard) has no up-to-date follower yet; retry"
        case .noLease(let follower):
            "node '\(node)' holds no lease from follower '\(follower)' for shard \(shard); retry"
        }
    }
}

import QuotaCore

extension ClusterNode {
    // MARK: Owner side

    /// Starts one snapshot per target for every shard waiting to sync it: takes the memory state of the
    /// shards' tenants now (they admit nothing while they move) and asks the runtime for their stored events.
    mutating func collectSnapshots(now: ClusterTime, into outputs: inout [ClusterOutput]) {
        var byTarget: [NodeID: [ShardEpoch]] = [:]
        for shard in self.shards.indices {
            guard let move = self.shards[shard].move, move.kind == .sync, !move.inFlight else { continue }
            self.shards[shard].move?.inFlight = true
            let assignment = ShardAssignment(epoch: move.epoch, owner: self.nodeID, follower: move.target)
            byTarget[move.target, default: []].append(ShardEpoch(shard: shard, assignment: assignment))
        }
        guard !byTarget.isEmpty else { return }
        let tenantsByShard = self.tenantsByShard()
        for target in byTarget.keys.sorted() {
            let shards = byTarget[target] ?? []
            let tenants = shards.flatMap { tenantsByShard[$0.shard] ?? [] }
            let snapshot = self.ledger.snapshot(of: tenants)
            let id = self.nextCollectionID
            self.nextCollectionID += 1
            self.collections[id] = PendingCollection(target: target, shards: shards, snapshot: snapshot)
            outputs.append(.collectSnapshot(SnapshotCollection(id: id, periods: snapshot.records)))
        }
    }

    /// The tenants this node holds state for, grouped by shard, each group ordered.
    func tenantsByShard() -> [Int: [TenantID]] {
        var groups: [Int: [TenantID]] = [:]
        for tenant in self.ledger.tenantIDs {
            groups[self.configuration.ring.shardIndex(of: tenant), default: []].append(tenant)
        }
        return groups
    }

    /// The stored events arrived: sends the snapshot to its target, unless the moves were abandoned.
    mutating func snapshotCollected(id: UInt64, events: [UsageEvent], into outputs: inout [ClusterOutput]) {
        guard let pending = self.collections.removeValue(forKey: id) else { return }
        if let gather = pending.gather {
            var snapshot = pending.snapshot
            snapshot.events = events
            outputs.append(.send(to: pending.target, .gatherReply(GatherReply(id: gather, snapshot: snapshot))))
            return
        }
        let live = pending.shards.filter { offered in
            guard let move = self.shards[offered.shard].move else { return false }
            return move.kind == .sync && move.target == pending.target && move.epoch == offered.assignment.epoch
        }
        guard !live.isEmpty else { return }
        var snapshot = pending.snapshot
        snapshot.events = events
        let offer = SnapshotOffer(
            ownerIncarnation: self.incarnation,
            shards: live,
            versions: live.map { max(self.shards[$0.shard].version, self.shards[$0.shard].applied) },
            snapshot: snapshot
        )
        outputs.append(.send(to: pending.target, .snapshot(offer)))
    }

    /// The target answered a snapshot: accepted shards are this node's, with the target as up-to-date
    /// follower, in the new epoch; refused ones teach this node a newer assignment.
    mutating func snapshotAck(
        _ ack: SnapshotAck,
        from peer: NodeID,
        now: ClusterTime,
        into outputs: inout [ClusterOutput]
    ) {
        for accepted in ack.accepted {
            guard let move = self.shards[accepted.shard].move, move.kind == .sync, move.target == peer,
                move.epoch == accepted.assignment.epoch
            else { continue }
            self.syncAccepted(accepted.shard, ShardAssignment(epoch: move.epoch, owner: self.nodeID, follower: peer))
        }
        for refused in ack.refused {
            guard let move = self.shards[refused.shard].move, move.target == peer else { continue }
            self.shards[refused.shard].move = nil
            if refused.assignment.epoch >= move.epoch {
                self.adopt(refused.assignment, shard: refused.shard, into: &outputs)
            }
        }
    }

    /// The target of a sync accepted the snapshot: this node owns the shard in the new epoch, with an up-to-date
    /// follower.
    mutating func syncAccepted(_ shard: Int, _ assignment: ShardAssignment) {
        self.establish(shard, assignment)
        self.shards[shard].role = .owner
        self.shards[shard].followerSynced = true
    }

    /// The target of a hand-off took the shard over: this node follows it in the new epoch.
    mutating func transferAccepted(_ shard: Int, _ assignment: ShardAssignment, by owner: NodeID) {
        self.establish(shard, assignment)
        self.shards[shard].role = .follower
        self.shards[shard].followerSynced = false
        self.shards[shard].ownerIncarnation = self.peers[owner]?.incarnation ?? 0
    }

    /// Sets a shard's assignment in a new epoch this node took part in.
    mutating func establish(_ shard: Int, _ assignment: ShardAssignment) {
        self.shards[shard].assignment = assignment
        self.shards[shard].move = nil
        self.shards[shard].lastSequence = 0
        self.reportsDirty = true
    }

    // MARK: Follower side

    /// Whether this node accepts `owner` as the owner of a shard in `assignment`'s epoch: the epoch is newer
    /// than any it knows and than its own move in flight proposes, or it is the epoch it already follows `owner` in.
    func accepts(_ assignment: ShardAssignment, version: DataVersion, shard: Int, from owner: NodeID) -> Bool {
        let known = self.shards[shard]
        guard assignment.owner == owner, assignment.follower == self.nodeID, version >= known.version else {
            return false
        }
        if let move = known.move, move.epoch >= assignment.epoch, version == known.version { return false }
        if assignment.epoch > known.assignment.epoch { return true }
        return assignment.epoch == known.assignment.epoch && known.assignment.owner == owner && known.role != .owner
    }

    /// Installs a snapshot for the shards this node accepts and becomes their follower. A shard it already
    /// follows in that very assignment (a duplicate of the offer it installed) is acknowledged again, not
    /// installed again: the entries applied since must not be undone.
    mutating func snapshotOffer(
        _ offer: SnapshotOffer,
        from owner: NodeID,
        now: ClusterTime,
        into outputs: inout [ClusterOutput]
    ) {
        // An offer may be the first message of the owner's process to arrive (its heartbeats go out every
        // heartbeat interval): it introduces that incarnation, as a heartbeat would.
        guard self.heard(from: owner, incarnation: offer.ownerIncarnation, now: now, into: &outputs),
            self.peers[owner]?.incarnation == offer.ownerIncarnation
        else { return }
        var accepted: [ShardEpoch] = []
        var installed: [ShardEpoch] = []
        var refused: [ShardEpoch] = []
        for (index, offered) in offer.shards.enumerated() {
            let known = self.shards[offered.shard]
            let version = index < offer.versions.count ? offer.versions[index] : .zero
            if known.role == .follower, known.assignment == offered.assignment,
                known.ownerIncarnation == offer.ownerIncarnation
            {
                accepted.append(offered)
            } else if self.accepts(offered.assignment, version: version, shard: offered.shard, from: owner) {
                accepted.append(offered)
                installed.append(offered)
                self.shards[offered.shard].version = version
            } else {
                refused.append(ShardEpoch(shard: offered.shard, assignment: known.assignment))
            }
        }
        if !installed.isEmpty {
            let shards = Set(installed.map(\.shard))
            let ring = self.configuration.ring
            let replaced = self.ledger.tenantIDs.filter { shards.contains(ring.shardIndex(of: $0)) }
            var snapshot = offer.snapshot
            snapshot.limits.removeAll { !shards.contains(ring.shardIndex(of: $0.tenant)) }
            snapshot.records.removeAll { !shards.contains(ring.shardIndex(of: $0.tenant)) }
            snapshot.events.removeAll { !shards.contains(ring.shardIndex(of: $0.tenant)) }
            snapshot.idempotency.removeAll { !shards.contains(ring.shardIndex(of: $0.tenant)) }
            self.ledger.installSnapshot(snapshot, replacing: replaced, now: now.wall)
            for shard in installed {
                self.establish(shard.shard, shard.assignment)
                self.shards[shard.shard].role = .follower
                self.shards[shard.shard].followerSynced = false
                self.shards[shard.shard].ownerIncarnation = offer.ownerIncarnation
            }
        }
        outputs.append(.send(to: owner, .snapshotAck(SnapshotAck(accepted: accepted, refused: refused))))
    }

    /// Takes over a shard its owner hands off: this node must follow it in the epoch before, so it holds
    /// every acknowledged change, and the old owner becomes its follower.
    mutating func transfer(
        _ offered: ShardEpoch,
        from owner: NodeID,
        now: ClusterTime,
        into outputs: inout [ClusterOutput]
    ) {
        let state = self.shards[offered.shard]
        let assignment = offered.assignment
        let already = state.assignment == assignment && state.role == .owner
        let valid =
            assignment.owner == self.nodeID && assignment.follower == owner && state.role == .follower
            && state.assignment.owner == owner && assignment.epoch == state.assignment.epoch + 1
        if valid {
            self.establish(offered.shard, assignment)
            self.shards[offered.shard].role = .owner
            self.shards[offered.shard].followerSynced = true
        }
        let answer = TransferAck(
            shard: ShardEpoch(shard: offered.shard, assignment: self.shards[offered.shard].assignment),
            accepted: valid || already
        )
        outputs.append(.send(to: owner, .transferAck(answer)))
    }

    /// The new owner answered a hand-off: this node follows it in the new epoch, or learns why not.
    mutating func transferAck(
        _ ack: TransferAck,
        from peer: NodeID,
        now: ClusterTime,
        into outputs: inout [ClusterOutput]
    ) {
        let shard = ack.shard.shard
        guard let move = self.shards[shard].move, move.kind == .transfer, move.target == peer else { return }
        if ack.accepted, ack.shard.assignment.epoch == move.epoch {
            self.transferAccepted(shard, ack.shard.assignment, by: peer)
        } else {
            self.shards[shard].move = nil
            self.adopt(ack.shard.assignment, shard: shard, into: &outputs)
        }
    }
}

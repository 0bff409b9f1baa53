import QuotaCore

extension ClusterNode {
    /// Decides, shard by shard in ring order, whether this node must move an assignment: promote itself when
    /// its owner is gone, replace a lost or misplaced follower, hand a shard back to its preferred owner, or
    /// take a shard nobody holds (cold start). Then starts the snapshot collections the moves need.
    mutating func placeShards(now: ClusterTime, into outputs: inout [ClusterOutput]) {
        for shard in self.shards.indices {
            if let move = self.shards[shard].move {
                self.continueMove(move, shard: shard, now: now, into: &outputs)
                continue
            }
            switch self.shards[shard].role {
            case .follower: self.promoteIfOwnerGone(shard: shard, now: now)
            case .owner: self.rebalance(shard: shard, now: now)
            case .none: self.coldStartIfUnheld(shard: shard, now: now)
            }
        }
        self.startGathers(into: &outputs)
        self.collectSnapshots(now: now, into: &outputs)
    }

    /// The members of a shard's preference list, in order.
    func preference(_ shard: Int) -> [NodeID] { self.preferences[shard] }

    /// The first settled member of the preference list other than this node.
    func firstSettled(_ shard: Int, now: ClusterTime) -> NodeID? {
        self.preference(shard).first { $0 != self.nodeID && self.isSettled($0, now: now) }
    }

    /// The epoch a new assignment of `shard` takes: one more than any this node has seen.
    func nextEpoch(_ shard: Int) -> UInt64 {
        var highest = self.shards[shard].assignment.epoch
        for peer in self.configuration.peers {
            if let report = self.peers[peer]?.reports?[shard] { highest = max(highest, report.assignment.epoch) }
        }
        return highest + 1
    }

    /// A follower promotes itself once its owner's process is gone — restarted (a new incarnation), or silent
    /// past the suspicion timeout with every lease this node granted it expired on this node's clock — or
    /// once its owner reports that it does not hold the shard in this epoch (it gave up a move whose answer
    /// came too late), so it admits nothing there.
    mutating func promoteIfOwnerGone(shard: Int, now: ClusterTime) {
        let state = self.shards[shard]
        guard let owner = state.assignment.owner, let peer = self.peers[owner] else { return }
        let restarted = peer.incarnation > state.ownerIncarnation
        var silent = !self.isAlive(owner, now: now) && now.monotonic > peer.grantedUntil
        let report = peer.reports?[shard]
        let abandoned = report.map { $0.assignment.epoch == state.assignment.epoch && $0.role != .owner } ?? false
        var target = self.firstSettled(shard, now: now)
        if self.configuration.defects.contains(.promoteWithoutLease) {
            let quiet = 2 * self.configuration.timings.heartbeatIntervalMilliseconds
            silent = now.monotonic - (peer.lastHeard ?? .min / 2) > quiet
            target = self.preference(shard).first { $0 != self.nodeID && $0 != owner && self.isSettled($0, now: now) }
        }
        guard restarted || silent || abandoned, let target else { return }
        self.shards[shard].role = .owner
        self.shards[shard].followerSynced = false
        self.beginMove(.sync, shard: shard, target: target, now: now)
    }

    /// An owner replaces a follower that is gone or not up to date (or finds a first one after promoting
    /// itself), and otherwise moves the shard toward its preferred placement: the first two settled members
    /// of its preference list.
    mutating func rebalance(shard: Int, now: ClusterTime) {
        let state = self.shards[shard]
        guard state.assignment.owner == self.nodeID, let follower = state.assignment.follower,
            self.isAlive(follower, now: now), state.followerSynced
        else {
            if let target = self.firstSettled(shard, now: now) {
                self.beginMove(.sync, shard: shard, target: target, now: now)
            }
            return
        }
        let preferred = self.preference(shard).filter { self.isSettled($0, now: now) }
        guard preferred.count >= 2 else { return }
        if preferred[0] != self.nodeID {
            if follower == preferred[0] {
                self.beginMove(.transfer, shard: shard, target: follower, now: now)
            } else {
                self.beginMove(.sync, shard: shard, target: preferred[0], now: now)
            }
        } else if follower != preferred[1] {
            self.beginMove(.sync, shard: shard, target: preferred[1], now: now)
        }
    }

    /// Cold start: when every member has reported from its current incarnation and none holds a live role
    /// for the shard, its first settled preferred member takes it from its own storage.
    mutating func coldStartIfUnheld(shard: Int, now: ClusterTime) {
        let preferred = self.preference(shard).filter { self.isSettled($0, now: now) }
        guard preferred.first == self.nodeID, preferred.count >= 2 else { return }
        for peer in self.configuration.peers {
            guard self.isSettled(peer, now: now), let reports = self.peers[peer]?.reports else { return }
            guard reports[shard].role == .none else { return }
        }
        self.shards[shard].role = .owner
        self.shards[shard].followerSynced = false
        self.beginMove(.gather, shard: shard, target: preferred[1], now: now)
    }

    mutating func beginMove(_ kind: ShardMove.Kind, shard: Int, target: NodeID, now: ClusterTime) {
        let epoch = self.nextEpoch(shard)
        self.shards[shard].move = ShardMove(
            kind: kind,
            target: target,
            epoch: epoch,
            since: now.monotonic,
            inFlight: false
        )
        self.reportsDirty = true
    }

    /// Sends a pending transfer once every change of the shard is acknowledged, and gives up on a move
    /// whose target did not answer within the sync timeout.
    mutating func continueMove(_ move: ShardMove, shard: Int, now: ClusterTime, into outputs: inout [ClusterOutput]) {
        if now.monotonic - move.since > self.configuration.timings.syncTimeoutMilliseconds {
            self.shards[shard].move = nil
            self.reportsDirty = true
            for id in self.gathers.keys.sorted() where self.gathers[id]?.shards.contains(shard) == true {
                self.gathers[id] = nil
            }
            for id in self.collections.keys.sorted()
            where self.collections[id]?.shards.contains(where: { $0.shard == shard }) == true {
                self.collections[id] = nil
            }
            return
        }
        guard move.kind == .transfer, !move.inFlight else { return }
        let acknowledged = self.links[move.target]?.acknowledged ?? 0
        guard acknowledged >= self.shards[shard].lastSequence else { return }
        self.shards[shard].move?.inFlight = true
        let assignment = ShardAssignment(epoch: move.epoch, owner: move.target, follower: self.nodeID)
        outputs.append(.send(to: move.target, .transfer(ShardEpoch(shard: shard, assignment: assignment))))
    }
}

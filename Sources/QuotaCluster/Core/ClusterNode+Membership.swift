import DequeModule
import QuotaCore

extension ClusterNode {
    // MARK: Liveness

    /// Whether `peer` was heard from within the suspicion timeout.
    func isAlive(_ peer: NodeID, now: ClusterTime) -> Bool {
        if peer == self.nodeID { return true }
        guard let heard = self.peers[peer]?.lastHeard else { return false }
        return now.monotonic - heard < self.configuration.timings.suspicionTimeoutMilliseconds
    }

    /// Whether `peer` is alive and has reported its shards from its current incarnation: ready to be given
    /// a role.
    func isSettled(_ peer: NodeID, now: ClusterTime) -> Bool {
        guard peer != self.nodeID else { return true }
        // The outbound connection must be up too: a snapshot sent while it reconnects would be dropped, and the
        // move would only be retried after the sync timeout.
        return self.isAlive(peer, now: now) && self.peers[peer]?.reports != nil && self.peers[peer]?.connected == true
    }

    /// Records that something arrived from `peer`'s `incarnation`; a new incarnation means the old process
    /// is gone: its lease and promises end, its stream resets, and shards it followed need a new follower.
    mutating func heard(
        from peer: NodeID,
        incarnation: UInt64,
        now: ClusterTime,
        into outputs: inout [ClusterOutput]
    ) -> Bool {
        guard var state = self.peers[peer], incarnation >= state.incarnation else { return false }
        if incarnation > state.incarnation {
            let restarted = state.incarnation != 0
            state = PeerState(incarnation: incarnation, connected: state.connected)
            self.peers[peer] = state
            if restarted || self.links[peer] != nil {
                self.resetLink(to: peer, incarnation: incarnation, into: &outputs)
            }
            self.reportsDirty = true
        }
        self.peers[peer]?.lastHeard = now.monotonic
        return true
    }

    mutating func heartbeat(
        _ heartbeat: Heartbeat,
        from peer: NodeID,
        now: ClusterTime,
        into outputs: inout [ClusterOutput]
    ) {
        guard heartbeat.membershipFingerprint == self.configuration.membershipFingerprint else {
            self.peers[peer]?.otherMemberList = true
            return
        }
        guard self.heard(from: peer, incarnation: heartbeat.incarnation, now: now, into: &outputs) else { return }
        self.peers[peer]?.otherMemberList = false
        let timings = self.configuration.timings
        let promise = now.monotonic + timings.leaseMilliseconds + timings.clockDriftAllowanceMilliseconds
        let granted = self.peers[peer]?.grantedUntil ?? .min
        self.peers[peer]?.grantedUntil = max(granted, promise)
        let ack = HeartbeatAck(
            incarnation: self.incarnation,
            heartbeatIncarnation: heartbeat.incarnation,
            echoedSentAt: heartbeat.sentAt
        )
        outputs.append(.send(to: peer, .heartbeatAck(ack)))
    }

    mutating func heartbeatAck(_ ack: HeartbeatAck, from peer: NodeID, now: ClusterTime) {
        guard ack.heartbeatIncarnation == self.incarnation, let state = self.peers[peer],
            state.incarnation == ack.incarnation
        else { return }
        self.peers[peer]?.lastHeard = now.monotonic
        let lease = ack.echoedSentAt + self.configuration.timings.leaseMilliseconds
        if state.leaseUntil <= now.monotonic, lease > now.monotonic {
            for shard in self.shards.indices where self.shards[shard].assignment.follower == peer {
                self.shards[shard].followerSynced = false
            }
        }
        self.peers[peer]?.leaseUntil = max(state.leaseUntil, lease)
    }

    mutating func connectionChanged(_ peer: NodeID, up: Bool, now: ClusterTime, into outputs: inout [ClusterOutput]) {
        guard self.peers[peer] != nil else { return }
        self.peers[peer]?.connected = up
        if up {
            self.links[peer]?.lastSent = .min
            self.reportsDirty = true
            return
        }
        for id in self.forwards.keys.sorted() where self.forwards[id]?.owner == peer {
            if let pending = self.forwards.removeValue(forKey: id) {
                outputs.append(
                    .reply(
                        pending.token,
                        self.unavailable("lost the connection to owner '\(peer)'; outcome indeterminate, retry")
                    )
                )
            }
        }
    }

    // MARK: Reports

    /// This node's view of every shard.
    func shardReports() -> ShardReports {
        ShardReports(
            incarnation: self.incarnation,
            shards: self.shards.map { ShardReport(assignment: $0.assignment, role: $0.role) }
        )
    }

    mutating func reports(
        _ reports: ShardReports,
        from peer: NodeID,
        now: ClusterTime,
        into outputs: inout [ClusterOutput]
    ) {
        guard reports.shards.count == self.shards.count,
            self.heard(from: peer, incarnation: reports.incarnation, now: now, into: &outputs),
            self.peers[peer]?.incarnation == reports.incarnation
        else { return }
        self.peers[peer]?.reports = reports.shards
        for (shard, report) in reports.shards.enumerated() {
            self.adopt(report.assignment, shard: shard, into: &outputs)
            self.dropAbandonedFollowing(shard: shard, owner: peer, reported: report.assignment)
        }
    }

    /// Takes a newer assignment learnt from a peer; a live role of an older epoch ends with it.
    ///
    /// The assignment this node's move in flight proposes means its target accepted it (the report arrived
    /// before the acknowledgement, or instead of a lost one), so the move completes. Another assignment naming
    /// this node as owner, while this process holds the shard as owner, is one of its own earlier proposals that
    /// it gave up: it keeps its role (a restarted process, which holds none, learns the epoch).
    mutating func adopt(_ assignment: ShardAssignment, shard: Int, into outputs: inout [ClusterOutput]) {
        guard assignment.epoch > self.shards[shard].assignment.epoch else { return }
        if let move = self.shards[shard].move, move.epoch == assignment.epoch {
            if move.kind == .sync,
                assignment == ShardAssignment(epoch: move.epoch, owner: self.nodeID, follower: move.target)
            {
                self.syncAccepted(shard, assignment)
                return
            }
            if move.kind == .transfer,
                assignment == ShardAssignment(epoch: move.epoch, owner: move.target, follower: self.nodeID)
            {
                self.transferAccepted(shard, assignment, by: move.target)
                return
            }
        }
        if assignment.owner == self.nodeID, self.shards[shard].role == .owner { return }
        self.shards[shard].assignment = assignment
        self.shards[shard].role = .none
        self.shards[shard].followerSynced = false
        self.shards[shard].move = nil
        self.shards[shard].lastSequence = 0
        self.reportsDirty = true
    }

    /// A follower whose owner reports another assignment of the same (or a later) epoch follows a proposal the
    /// owner gave up: it stops following, so it can never promote itself from that replica.
    mutating func dropAbandonedFollowing(shard: Int, owner: NodeID, reported: ShardAssignment) {
        let state = self.shards[shard]
        guard state.role == .follower, state.assignment.owner == owner,
            reported.epoch >= state.assignment.epoch, reported != state.assignment
        else { return }
        self.shards[shard].assignment = reported
        self.shards[shard].role = .none
        self.reportsDirty = true
    }

    // MARK: Timer

    mutating func tick(now: ClusterTime, into outputs: inout [ClusterOutput]) {
        let timings = self.configuration.timings
        if now.monotonic >= self.nextHeartbeat {
            self.nextHeartbeat = now.monotonic + timings.heartbeatIntervalMilliseconds
            let heartbeat = Heartbeat(
                incarnation: self.incarnation,
                membershipFingerprint: self.configuration.membershipFingerprint,
                sentAt: now.monotonic
            )
            for peer in self.configuration.peers { outputs.append(.send(to: peer, .heartbeat(heartbeat))) }
        }
        for id in self.forwards.keys.sorted() {
            guard let pending = self.forwards[id], pending.deadline <= now.monotonic else { continue }
            self.forwards[id] = nil
            outputs.append(
                .reply(
                    pending.token,
                    self.unavailable("owner '\(pending.owner)' did not answer in time; outcome indeterminate, retry")
                )
            )
        }
        self.expireWaiters(now: now, into: &outputs)
        if !self.configuration.peers.isEmpty { self.placeShards(now: now, into: &outputs) }
        self.flushOutbound(now: now, into: &outputs)
        if self.reportsDirty || now.monotonic >= self.nextReport {
            self.reportsDirty = false
            self.nextReport = now.monotonic + timings.reportIntervalMilliseconds
            let reports = self.shardReports()
            for peer in self.configuration.peers where self.peers[peer]?.connected == true {
                outputs.append(.send(to: peer, .report(reports)))
            }
        }
    }
}

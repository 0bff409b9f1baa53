import DequeModule
import QuotaCore

extension ClusterNode {
    // MARK: Owner side

    /// Queues a shard's changes for its follower and returns their stream sequence.
    mutating func enqueue(_ delta: LedgerDelta, shard: Int, to follower: NodeID) -> UInt64 {
        let incarnation = self.peers[follower]?.incarnation ?? 0
        let epoch = self.shards[shard].assignment.epoch
        // Mutated in place (not copied out of the dictionary and back), so the queue is never copied.
        return self.links[follower, default: ReplicationLink(followerIncarnation: incarnation)]
            .enqueue(delta, shard: shard, epoch: epoch)
    }

    /// Sends every follower its queued changes in one message, and resends changes that stayed
    /// unacknowledged for a heartbeat interval (a lost message, a new connection).
    mutating func flushOutbound(now: ClusterTime, into outputs: inout [ClusterOutput]) {
        let resendAfter = self.configuration.timings.heartbeatIntervalMilliseconds
        for follower in self.configuration.peers {
            // Checked in place: a copy of the link bound here would keep its queues shared, and appending to the
            // taken link below would then copy every unacknowledged change.
            guard
                self.links[follower]?.outbound.isEmpty == false || self.links[follower]?.unacknowledged.isEmpty == false
            else { continue }
            // Taken out of the dictionary so that its queues are uniquely referenced and grow in place.
            guard var link = self.links.removeValue(forKey: follower) else { continue }
            defer { self.links[follower] = link }
            var entries: [ReplicationEntry]
            if !link.unacknowledged.isEmpty, link.lastSent <= now.monotonic - resendAfter {
                entries = Array(link.unacknowledged)
                entries += link.outbound
            } else {
                entries = link.outbound
            }
            guard !entries.isEmpty else { continue }
            link.unacknowledged.append(contentsOf: link.outbound)
            link.outbound.removeAll(keepingCapacity: true)
            link.lastSent = now.monotonic
            let message = Replication(
                ownerIncarnation: self.incarnation,
                followerIncarnation: link.followerIncarnation,
                entries: entries
            )
            outputs.append(.send(to: follower, .replicate(message)))
        }
    }

    /// A follower processed changes: answers the waiters they held, and fails those whose shard's changes
    /// were refused (the follower follows another epoch; this node stops serving the shard).
    mutating func replicateAck(
        _ ack: ReplicationAck,
        from follower: NodeID,
        now: ClusterTime,
        into outputs: inout [ClusterOutput]
    ) {
        // Checked in place, not through a bound copy of the link, which would make `removeFirst` below copy its queue.
        guard ack.ownerIncarnation == self.incarnation,
            self.links[follower]?.followerIncarnation == ack.followerIncarnation,
            let acknowledged = self.links[follower]?.acknowledged, ack.upTo > acknowledged,
            var link = self.links.removeValue(forKey: follower)
        else { return }
        let refused = Set(ack.refused)
        var refusedShards: [Int: UInt64] = [:]
        // Each entry is moved out by `removeFirst`, not copied out of `first` and then dropped.
        while let sequence = link.unacknowledged.first?.sequence, sequence <= ack.upTo {
            let first = link.unacknowledged.removeFirst()
            if refused.contains(first.sequence) {
                if refusedShards[first.shard] == nil { refusedShards[first.shard] = first.sequence }
            } else {
                let version = DataVersion(epoch: first.epoch, sequence: first.sequence)
                self.shards[first.shard].version = max(self.shards[first.shard].version, version)
            }
        }
        link.acknowledged = ack.upTo
        self.links[follower] = link
        for shard in refusedShards.keys.sorted() where self.shards[shard].assignment.follower == follower {
            self.shards[shard].followerSynced = false
        }
        var queue = self.waiters.removeValue(forKey: follower) ?? []
        while let sequence = queue.first?.sequence, sequence <= ack.upTo {
            let waiter = queue.removeFirst()
            if let refusedAt = refusedShards[waiter.shard], refusedAt <= waiter.sequence {
                let reply = self.unavailable(
                    "follower '\(follower)' refused the change of shard \(self.shardName(waiter.shard)); outcome indeterminate, retry with the idempotency key"
                )
                self.answer(waiter.target, reply, into: &outputs)
            } else {
                self.answer(waiter.target, waiter.reply, into: &outputs)
            }
        }
        self.waiters[follower] = queue
    }

    /// Forgets the stream to a follower whose process changed: its unacknowledged changes and waiters fail,
    /// and every shard it followed needs a new snapshot.
    mutating func resetLink(to follower: NodeID, incarnation: UInt64, into outputs: inout [ClusterOutput]) {
        self.links[follower] = ReplicationLink(followerIncarnation: incarnation)
        self.failWaiters(of: follower, because: "follower '\(follower)' restarted", into: &outputs)
        for shard in self.shards.indices where self.shards[shard].assignment.follower == follower {
            self.shards[shard].followerSynced = false
            self.shards[shard].lastSequence = 0
        }
    }

    /// Answers every waiter of `follower` with `unavailable`.
    mutating func failWaiters(of follower: NodeID, because reason: String, into outputs: inout [ClusterOutput]) {
        let queue = self.waiters.removeValue(forKey: follower) ?? []
        for waiter in queue {
            let reply = self.unavailable("\(reason); outcome indeterminate, retry with the idempotency key")
            self.answer(waiter.target, reply, into: &outputs)
        }
    }

    /// Answers waiters whose deadline passed with `unavailable`.
    mutating func expireWaiters(now: ClusterTime, into outputs: inout [ClusterOutput]) {
        for follower in self.configuration.peers {
            guard let first = self.waiters[follower]?.first, first.deadline <= now.monotonic,
                var queue = self.waiters.removeValue(forKey: follower)
            else { continue }
            while let deadline = queue.first?.deadline, deadline <= now.monotonic {
                let waiter = queue.removeFirst()
                let reply = self.unavailable(
                    "follower '\(follower)' did not acknowledge in time; outcome indeterminate, retry with the idempotency key"
                )
                self.answer(waiter.target, reply, into: &outputs)
            }
            self.waiters[follower] = queue
        }
    }

    // MARK: Follower side

    /// Applies an owner's changes in stream order, refusing those of shards this node does not follow in
    /// that epoch, and acknowledges what it processed.
    mutating func replicate(
        _ replication: Replication,
        from owner: NodeID,
        now: ClusterTime,
        into outputs: inout [ClusterOutput]
    ) {
        guard replication.followerIncarnation == self.incarnation else { return }
        var link =
            self.inbound.removeValue(forKey: owner) ?? InboundLink(ownerIncarnation: replication.ownerIncarnation)
        defer { self.inbound[owner] = link }
        if replication.ownerIncarnation > link.ownerIncarnation {
            link = InboundLink(ownerIncarnation: replication.ownerIncarnation)
        }
        guard replication.ownerIncarnation == link.ownerIncarnation else { return }
        for entry in replication.entries where entry.sequence > link.applied {
            guard entry.sequence == link.applied + 1 else { break }
            let state = self.shards[entry.shard]
            if state.role == .follower, state.assignment.epoch == entry.epoch, state.assignment.owner == owner,
                state.ownerIncarnation == replication.ownerIncarnation
            {
                self.ledger.applyReplicated(entry.delta)
                self.shards[entry.shard].version = DataVersion(epoch: entry.epoch, sequence: entry.sequence)
            } else {
                link.refused.append(entry.sequence)
            }
            link.applied = entry.sequence
        }
        if let first = link.refused.first, first + InboundLink.refusalWindow < link.applied {
            link.refused.removeAll { $0 + InboundLink.refusalWindow < link.applied }
        }
        let ack = ReplicationAck(
            ownerIncarnation: link.ownerIncarnation,
            followerIncarnation: self.incarnation,
            upTo: link.applied,
            refused: link.refused
        )
        outputs.append(.send(to: owner, .replicateAck(ack)))
    }
}

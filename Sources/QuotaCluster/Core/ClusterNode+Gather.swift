import QuotaCore

extension ClusterNode {
    /// Sends one gather, for every shard whose cold start waits for it, to every member.
    ///
    /// A cold start happens when no process holds a live role for a shard: the whole cluster restarted, or the
    /// member list changed (a shard of the new ring holds tenants that other members stored under the old
    /// one). So the shard's first member does not trust its own storage alone: it asks every member for what
    /// it stores of the shard's tenants and keeps, per tenant, the most recently changed copy.
    mutating func startGathers(into outputs: inout [ClusterOutput]) {
        var shards: [Int] = []
        for shard in self.shards.indices {
            guard let move = self.shards[shard].move, move.kind == .gather, !move.inFlight else { continue }
            self.shards[shard].move?.inFlight = true
            shards.append(shard)
        }
        guard !shards.isEmpty else { return }
        let id = self.nextCollectionID
        self.nextCollectionID += 1
        self.gathers[id] = PendingGather(shards: shards, awaiting: Set(self.configuration.peers))
        for peer in self.configuration.peers {
            outputs.append(.send(to: peer, .gather(GatherRequest(id: id, shards: shards))))
        }
    }

    /// Answers a gather with this node's stored state of the tenants of its shards (the events are read by
    /// the runtime first).
    mutating func gatherRequested(_ request: GatherRequest, by peer: NodeID, into outputs: inout [ClusterOutput]) {
        let wanted = Set(request.shards.filter { self.shards.indices.contains($0) })
        let tenants = self.ledger.tenantIDs.filter { wanted.contains(self.configuration.ring.shardIndex(of: $0)) }
        let snapshot = self.ledger.snapshot(of: tenants)
        let id = self.nextCollectionID
        self.nextCollectionID += 1
        self.collections[id] = PendingCollection(target: peer, shards: [], snapshot: snapshot, gather: request.id)
        outputs.append(.collectSnapshot(SnapshotCollection(id: id, periods: snapshot.records)))
    }

    /// Takes a member's reply; once every member answered, installs the newest copy of each tenant held
    /// elsewhere, then goes on to sync the shards' followers.
    mutating func gatherReplied(
        _ reply: GatherReply,
        from peer: NodeID,
        now: ClusterTime,
        into outputs: inout [ClusterOutput]
    ) {
        guard var pending = self.gathers[reply.id], pending.awaiting.remove(peer) != nil else { return }
        pending.replies[peer] = reply.snapshot
        guard pending.awaiting.isEmpty else {
            self.gathers[reply.id] = pending
            return
        }
        self.gathers[reply.id] = nil
        let live = pending.shards.filter { self.shards[$0].move?.kind == .gather }
        guard !live.isEmpty else { return }
        let wanted = Set(live)
        let ring = self.configuration.ring
        let own = self.ledger.snapshot(of: self.ledger.tenantIDs.filter { wanted.contains(ring.shardIndex(of: $0)) })
        var newest: [TenantID: (changed: Timestamp, source: NodeID)] = [:]
        for tenant in own.tenants { newest[tenant] = (own.lastChange(of: tenant), self.nodeID) }
        for source in pending.replies.keys.sorted() {
            guard let snapshot = pending.replies[source] else { continue }
            for tenant in snapshot.tenants where wanted.contains(ring.shardIndex(of: tenant)) {
                let changed = snapshot.lastChange(of: tenant)
                if let current = newest[tenant], current.changed >= changed { continue }
                newest[tenant] = (changed, source)
            }
        }
        var merged = TenantSnapshot()
        var replaced: [TenantID] = []
        for tenant in newest.keys.sorted() {
            guard let source = newest[tenant]?.source, source != self.nodeID,
                let snapshot = pending.replies[source]
            else { continue }
            merged.append(snapshot.only(tenant))
            replaced.append(tenant)
        }
        if !replaced.isEmpty { self.ledger.installSnapshot(merged, replacing: replaced, now: now.wall) }
        for shard in live {
            guard let move = self.shards[shard].move else { continue }
            self.shards[shard].move = ShardMove(
                kind: .sync,
                target: move.target,
                epoch: move.epoch,
                since: now.monotonic,
                inFlight: false
            )
        }
    }
}

extension TenantSnapshot {
    /// The tenants the snapshot holds anything of, ordered.
    var tenants: [TenantID] {
        let all = self.limits.map(\.tenant) + self.records.map(\.tenant) + self.idempotency.map(\.tenant)
        return Set(all).sorted()
    }

    /// When the tenant last changed in this copy: its latest usage record or idempotency key.
    func lastChange(of tenant: TenantID) -> Timestamp {
        let records = self.records.filter { $0.tenant == tenant }.map(\.updatedAt)
        let keys = self.idempotency.filter { $0.tenant == tenant }.map(\.createdAt)
        return (records + keys).max() ?? Timestamp(millisecondsSinceEpoch: .min)
    }

    /// The part of the snapshot about `tenant`.
    func only(_ tenant: TenantID) -> TenantSnapshot {
        var part = TenantSnapshot()
        part.limits = self.limits.filter { $0.tenant == tenant }
        part.records = self.records.filter { $0.tenant == tenant }
        part.idempotency = self.idempotency.filter { $0.tenant == tenant }
        part.events = self.events.filter { $0.tenant == tenant }
        return part
    }

    /// Appends another snapshot's content.
    mutating func append(_ other: TenantSnapshot) {
        self.limits += other.limits
        self.records += other.records
        self.idempotency += other.idempotency
        self.events += other.events
    }
}

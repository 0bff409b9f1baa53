import QuotaCluster
import QuotaCore

/// Short, deterministic descriptions of messages, operations and replies for the trace.
enum Describe {
    static func message(_ message: PeerMessage) -> String {
        switch message {
        case .heartbeat(let heartbeat): return "heartbeat i\(heartbeat.incarnation) sent=\(heartbeat.sentAt)"
        case .heartbeatAck(let ack):
            return "heartbeat-ack i\(ack.incarnation) for i\(ack.heartbeatIncarnation) sent=\(ack.echoedSentAt)"
        case .report(let reports):
            let owned = reports.shards.filter { $0.role == .owner }.count
            let followed = reports.shards.filter { $0.role == .follower }.count
            let epochs = reports.shards.reduce(UInt64(0)) { $0 &+ $1.assignment.epoch }
            return "report i\(reports.incarnation) owned=\(owned) followed=\(followed) epoch_sum=\(epochs)"
        case .replicate(let replication):
            let first = replication.entries.first?.sequence ?? 0
            let last = replication.entries.last?.sequence ?? 0
            return
                "replicate i\(replication.ownerIncarnation)->i\(replication.followerIncarnation) seq=\(first)...\(last)"
        case .replicateAck(let ack):
            return "replicate-ack i\(ack.ownerIncarnation)<-i\(ack.followerIncarnation) up_to=\(ack.upTo)"
                + (ack.refused.isEmpty ? "" : " refused=\(ack.refused.count)")
        case .snapshot(let offer):
            return
                "snapshot i\(offer.ownerIncarnation) \(self.shards(offer.shards)) records=\(offer.snapshot.records.count)"
                + " events=\(offer.snapshot.events.count)"
                + " versions=\(offer.versions.map { "\($0.epoch).\($0.sequence)" }.joined(separator: ","))"
        case .snapshotAck(let ack):
            return "snapshot-ack accepted=\(self.shards(ack.accepted)) refused=\(self.shards(ack.refused))"
        case .transfer(let shard): return "transfer \(self.shards([shard]))"
        case .transferAck(let ack):
            return "transfer-ack \(ack.accepted ? "accepted" : "refused") \(self.shards([ack.shard]))"
        case .gather(let request): return "gather #\(request.id) shards=\(request.shards.count)"
        case .gatherReply(let reply):
            return
                "gather-reply #\(reply.id) tenants=\(reply.snapshot.records.count) events=\(reply.snapshot.events.count)"
        case .forward(let request): return "forward #\(request.id) \(self.operation(request.operation))"
        case .forwardReply(let reply): return "forward-reply #\(reply.id) \(self.reply(reply.reply))"
        }
    }

    static func shards(_ shards: [ShardEpoch]) -> String {
        "["
            + shards.map { shard in
                let owner = shard.assignment.owner?.rawValue ?? "-"
                let follower = shard.assignment.follower?.rawValue ?? "-"
                return "s\(shard.shard)e\(shard.assignment.epoch):\(owner)/\(follower)"
            }.joined(separator: " ") + "]"
    }

    static func operation(_ operation: ClusterOperation) -> String {
        func items(_ request: UsageRequest) -> String {
            let list = request.items.map { "\($0.metric)=\($0.amount)" }.joined(separator: ",")
            return "\(request.tenant) \(list)" + (request.idempotencyKey.map { " key=\($0)" } ?? "")
        }
        switch operation {
        case .consume(let request): return "consume " + items(request)
        case .check(let request): return "check " + items(request)
        case .release(let request): return "release " + items(request)
        case .status(let tenant): return "status \(tenant)"
        case .limits(let tenant): return "limits \(tenant)"
        case .setLimit(let limit):
            return "set-limit \(limit.tenant) \(limit.metric)=\(limit.value)/\(limit.period.unit.rawValue)"
                + " \(limit.enforcement.rawValue)"
        case .removeLimit(let tenant, let metric): return "remove-limit \(tenant) \(metric)"
        }
    }

    static func reply(_ reply: ClusterReply) -> String {
        let by = "by=\(reply.servedBy)"
        switch reply.outcome {
        case .decision(let decision):
            let usage = decision.results.map { "\($0.metric):\($0.usage)" }.joined(separator: ",")
            return "\(decision.allowed ? "allowed" : "denied") \(by) \(usage)"
                + (decision.eventID.map { " event=\($0)" } ?? "") + (decision.replayed ? " replayed" : "")
        case .status(let metrics):
            return "status \(by) " + metrics.map { "\($0.metric):\($0.usage)" }.joined(separator: ",")
        case .limits(let limits): return "limits \(by) count=\(limits.count)"
        case .done: return "done \(by)"
        case .failure(let error): return "failure \(by) \(error.code): \(error.message)"
        }
    }
}

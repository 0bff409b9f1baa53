import Hummingbird
import QuotaCluster
import QuotaCore
import QuotaJSON
import QuotaNode

/// `GET /v1/cluster` (this node's view of members, leases, shards and epochs) and `GET /v1/admin/reconcile`
/// (this node's stored records against its stored events, for `quotactl reconcile`).
struct ClusterRoutes<Context: RequestContext> {
    let engine: QuotaEngine

    func add(to router: Router<Context>) {
        router.get("v1/cluster") { request, _ in
            if let tenant = request.uri.queryParameters["tenant"] {
                let id = try TenantID(String(tenant))
                return APIResponse.json(
                    .object(["tenant": .string(id.rawValue), "shard": Self.shard(self.engine.shard(of: id))])
                )
            }
            return APIResponse.json(
                Self.cluster(self.engine.clusterStatus(), addresses: self.engine.configuration.members)
            )
        }
        router.get("v1/admin/isolation") { _, _ in
            APIResponse.json(.object(["isolated": .array(self.engine.isolatedPeers.map { .string($0.rawValue) })]))
        }
        router.put("v1/admin/isolation/:peer") { _, context in
            try self.engine.setIsolated(try NodeID(APIResponse.parameter("peer", of: context)), true)
            return APIResponse.json(
                .object(["isolated": .array(self.engine.isolatedPeers.map { .string($0.rawValue) })])
            )
        }
        router.delete("v1/admin/isolation/:peer") { _, context in
            try self.engine.setIsolated(try NodeID(APIResponse.parameter("peer", of: context)), false)
            return APIResponse.json(
                .object(["isolated": .array(self.engine.isolatedPeers.map { .string($0.rawValue) })])
            )
        }
        router.get("v1/admin/reconcile") { request, _ in
            let tenant = try request.uri.queryParameters["tenant"].map { try TenantID(String($0)) }
            let rows = try await self.engine.reconciliation(tenant: tenant)
            return APIResponse.json(
                .object([
                    "node": .string(self.engine.nodeID),
                    "rows": .array(rows.map(Self.row)),
                ])
            )
        }
    }

    static func cluster(_ status: ClusterStatus, addresses: [MemberAddress]) -> JSONValue {
        let members = status.members.map { member -> JSONValue in
            let address = addresses.first { $0.id == member.id }.map { "\($0.host):\($0.port)" }
            return .object([
                "id": .string(member.id.rawValue),
                "state": .string(member.state),
                "address": address.map(JSONValue.string) ?? .null,
                "incarnation": .int(Int64(member.incarnation)),
                "last_heard_ms_ago": member.lastHeardMillisecondsAgo.map(JSONValue.int) ?? .null,
                "lease_remaining_ms": .int(member.leaseRemainingMilliseconds),
                "connected": .bool(member.connected),
            ])
        }
        let shards = status.shards.map(Self.shard)
        var owners: [String: Int64] = [:]
        for shard in status.shards { owners[shard.assignment.owner?.rawValue ?? "none", default: 0] += 1 }
        return .object([
            "node": .string(status.node.rawValue),
            "incarnation": .int(Int64(status.incarnation)),
            "members": .array(members),
            "summary": .object([
                "shards": .int(Int64(status.shards.count)),
                "owned": .int(Int64(status.ownedCount)),
                "followed": .int(Int64(status.followedCount)),
                "moving": .int(Int64(status.movingCount)),
                "highest_epoch": .int(Int64(status.highestEpoch)),
                "owners": .object(owners.mapValues(JSONValue.int)),
            ]),
            "shards": .array(shards),
        ])
    }

    static func shard(_ shard: ClusterStatus.Shard) -> JSONValue {
        .object([
            "index": .int(Int64(shard.index)),
            "name": .string(shard.name),
            "epoch": .int(Int64(shard.assignment.epoch)),
            "owner": shard.assignment.owner.map { .string($0.rawValue) } ?? .null,
            "follower": shard.assignment.follower.map { .string($0.rawValue) } ?? .null,
            "role": .string(shard.role.rawValue),
            "follower_synced": .bool(shard.followerSynced),
            "moving": .bool(shard.moving),
        ])
    }

    static func row(_ row: ReconcileRow) -> JSONValue {
        .object([
            "tenant": .string(row.summary.tenant.rawValue),
            "metric": .string(row.summary.metric.rawValue),
            "period_start": .string(row.summary.periodStart.description),
            "record_usage": row.summary.recordUsage.map(JSONValue.int) ?? .null,
            "event_sum": .int(row.summary.eventSum),
            "event_count": .int(Int64(row.summary.eventCount)),
            "event_digest": .string(String(row.summary.eventDigest, radix: 16)),
            "audit": .string(row.audit.rawValue),
            "role": .string(row.role.rawValue),
            "consistent": .bool(row.isConsistent),
        ])
    }
}

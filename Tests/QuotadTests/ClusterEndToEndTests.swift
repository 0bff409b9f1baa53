import Foundation
import HTTPTypes
import HummingbirdTesting
import Synchronization
import Testing

/// The cluster's acceptance checks against three real `quotad` processes on loopback.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ClusterEndToEndTests {
    /// docs/cluster.md: a tenant whose owner is killed is served again within this bound.
    static let failoverBoundSeconds = 5.0

    func setLimit(_ cluster: LocalCluster, _ tenant: String, _ limit: Int, via index: Int = 0) async throws {
        let response = try await cluster.nodes[index]!.withHTTP { client in
            try await client.send(
                .put,
                "/v1/tenants/\(tenant)/limits/calls",
                #"{"limit": \#(limit), "period": "month", "enforcement": "hard"}"#
            )
        }
        #expect(response.status == .ok)
    }

    func status(
        _ cluster: LocalCluster,
        _ tenant: String,
        via index: Int
    ) async throws -> (usage: Int?, servedBy: String?) {
        let body = try await cluster.nodes[index]!.withHTTP { try await $0.send(.get, "/v1/tenants/\(tenant)/status") }
            .json
        return (usage(of: "calls", in: body), body["served_by"] as? String)
    }

    @Test func aClusterServesKeepsHardLimitsExactFailsOverAndRejoins() async throws {
        let cluster = try await LocalCluster()
        try await cluster.waitUntilSettled()
        let client = RetryingClient(cluster: cluster)
        let far = Date().addingTimeInterval(120)

        // 1. The same decision and status through every node.
        let tenants = (0..<12).map { "tenant-\($0)" }
        for tenant in tenants { try await self.setLimit(cluster, tenant, 40) }
        for tenant in tenants {
            var deciders = Set<String>()
            for index in cluster.ids.indices {
                let answer = try await client.consume(tenant, key: "first-\(index)", via: index, deadline: far)
                #expect(answer.allowed)
                deciders.insert(answer.servedBy)
            }
            #expect(deciders.count == 1, "\(tenant) was decided by \(deciders)")
            var statuses: [String] = []
            for index in cluster.ids.indices {
                let status = try await self.status(cluster, tenant, via: index)
                statuses.append("\(status.usage ?? -1)@\(status.servedBy ?? "?")")
            }
            #expect(Set(statuses).count == 1 && statuses[0].hasPrefix("3@"), "\(tenant): \(statuses)")
        }

        // 2. Clients through all nodes against hard limits: admitted = min(limit, demand) exactly.
        let admitted = Shared([String: Int]())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<6 {
                group.addTask {
                    for round in 0..<10 {
                        for tenant in tenants {
                            let answer = try await client.consume(
                                tenant,
                                key: "load-\(worker)-\(round)",
                                via: worker % 3,
                                deadline: far
                            )
                            if answer.allowed { admitted.withLock { $0[tenant, default: 0] += 1 } }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        for tenant in tenants {
            // 3 admitted in step 1, then a demand of 60 against the 37 left.
            #expect(admitted.withLock { $0[tenant] } == 37, "\(tenant)")
            #expect(try await self.status(cluster, tenant, via: 1).usage == 40)
        }

        // 3. kill -9 the owner of a busy tenant under load.
        let busy = "busy-tenant"
        try await self.setLimit(cluster, busy, 1_000_000)
        let owner = try await self.status(cluster, busy, via: 0).servedBy ?? ""
        let ownerIndex = try #require(cluster.index(of: owner))
        let allowed = Shared(0)
        let killedAt = Shared<Date?>(nil)
        let firstAfterKill = Shared<Date?>(nil)
        let stop = Date().addingTimeInterval(8)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var sequence = 0
                    while Date() < stop {
                        sequence += 1
                        let answer = try await client.consume(
                            busy,
                            key: "busy-\(worker)-\(sequence)",
                            via: worker % 3,
                            deadline: far
                        )
                        if answer.allowed {
                            allowed.withLock { $0 += 1 }
                            if answer.servedBy != owner, killedAt.withLock({ $0 }) != nil {
                                firstAfterKill.withLock { first in if first == nil { first = Date() } }
                            }
                        }
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(2))
                killedAt.withLock { $0 = Date() }
                try await cluster.kill(ownerIndex)
            }
            try await group.waitForAll()
        }
        let killed = try #require(killedAt.withLock { $0 })
        let resumed = try #require(firstAfterKill.withLock { $0 })
        let gap = resumed.timeIntervalSince(killed)
        #expect(gap <= Self.failoverBoundSeconds, "consumes resumed \(gap) s after the owner was killed")
        let survivor = cluster.live[0]
        #expect(try await self.status(cluster, busy, via: survivor).usage == allowed.withLock { $0 })

        // 4. Restart the killed node: it catches up and takes its shards back; the replicas agree.
        try await cluster.restart(ownerIndex)
        try await cluster.waitUntilSettled()
        #expect(try await self.status(cluster, busy, via: ownerIndex).servedBy == owner)
        #expect(try await self.status(cluster, busy, via: ownerIndex).usage == allowed.withLock { $0 })
        var replicas: [String: [String]] = [:]
        for index in cluster.ids.indices {
            let body = try await cluster.nodes[index]!.withHTTP { try await $0.send(.get, "/v1/admin/reconcile") }.json
            for row in body["rows"] as? [[String: Any]] ?? [] {
                #expect(row["consistent"] as? Bool == true, "\(cluster.ids[index]): \(row)")
                guard row["role"] as? String != "none" else { continue }
                let key = "\(row["tenant"] ?? "")/\(row["metric"] ?? "")/\(row["period_start"] ?? "")"
                let value = "\(row["record_usage"] ?? "nil")/\(row["event_count"] ?? "")/\(row["event_digest"] ?? "")"
                replicas[key, default: []].append(value)
            }
        }
        #expect(replicas.count == tenants.count + 1)
        for (key, values) in replicas {
            #expect(values.count == 2 && Set(values).count == 1, "\(key): \(values)")
        }
    }
}

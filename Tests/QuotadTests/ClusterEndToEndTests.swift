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

    /// The `calls` usage and `served_by` of `tenant`'s status through member `index`. An `unavailable` answer (a node
    /// whose peer links are still coming up after a restart, say) or a lost connection is retried for up to 10 s, as
    /// a client would; any other answer is returned as it is, so a wrong usage still fails the caller's check.
    func status(
        _ cluster: LocalCluster,
        _ tenant: String,
        via index: Int
    ) async throws -> (usage: Int?, servedBy: String?) {
        let deadline = Date().addingTimeInterval(10)
        while true {
            let response = try? await cluster.nodes[index]!.withHTTP {
                try await $0.send(.get, "/v1/tenants/\(tenant)/status")
            }
            if let response, response.status != .serviceUnavailable || Date() >= deadline {
                let body = response.json
                return (usage(of: "calls", in: body), body["served_by"] as? String)
            }
            guard Date() < deadline else {
                throw QuotadProcess.StartError(description: "no status of \(tenant) through member \(index) in 10 s")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
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

    func isolate(_ cluster: LocalCluster, _ index: Int, from peer: String, _ on: Bool) async throws {
        let response = try await cluster.nodes[index]!.withHTTP { client in
            try await client.send(on ? .put : .delete, "/v1/admin/isolation/\(peer)")
        }
        #expect(response.status == .ok)
    }

    /// Cuts the owner of a tenant from its follower (and, with `alone`, from the third member too).
    @Test(arguments: [false, true])
    func aPartitionBetweenOwnerAndFollowerNeverLetsBothAdmit(alone: Bool) async throws {
        let cluster = try await LocalCluster()
        try await cluster.waitUntilSettled()
        let client = RetryingClient(cluster: cluster)
        let far = Date().addingTimeInterval(120)
        let tenant = "split-tenant"
        try await self.setLimit(cluster, tenant, 400)
        let placement = try await cluster.nodes[0]!.withHTTP { try await $0.send(.get, "/v1/cluster?tenant=\(tenant)") }
            .json
        let shard = try #require(placement["shard"] as? [String: Any])
        let owner = try #require(shard["owner"] as? String)
        let follower = try #require(shard["follower"] as? String)
        let ownerIndex = try #require(cluster.index(of: owner))
        let followerIndex = try #require(cluster.index(of: follower))

        // Cut the owner and the follower apart (both directions, in the runtime), under load from all nodes.
        let answers = Shared([(servedBy: String, at: Date)]())
        let cutAt = Date()
        let thirdIndex = try #require(cluster.ids.indices.first { $0 != ownerIndex && $0 != followerIndex })
        let third = cluster.ids[thirdIndex]
        try await self.isolate(cluster, ownerIndex, from: follower, true)
        try await self.isolate(cluster, followerIndex, from: owner, true)
        if alone {
            try await self.isolate(cluster, ownerIndex, from: third, true)
            try await self.isolate(cluster, thirdIndex, from: owner, true)
        }
        let healAt = cutAt.addingTimeInterval(6)
        let stopAt = cutAt.addingTimeInterval(8)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<3 {
                group.addTask {
                    var sequence = 0
                    while Date() < stopAt {
                        sequence += 1
                        let answer = try await client.consume(
                            tenant,
                            key: "split-\(worker)-\(sequence)",
                            via: worker,
                            deadline: far
                        )
                        if answer.allowed { answers.withLock { $0.append((answer.servedBy, Date())) } }
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(healAt.timeIntervalSinceNow))
                try await self.isolate(cluster, ownerIndex, from: follower, false)
                try await self.isolate(cluster, followerIndex, from: owner, false)
                if alone {
                    try await self.isolate(cluster, ownerIndex, from: third, false)
                    try await self.isolate(cluster, thirdIndex, from: owner, false)
                }
            }
            try await group.waitForAll()
        }

        // One side keeps the shard during the cut — the owner with a new follower, or the follower promoted
        // with the third member — and when the owner lost it, every admission of the owner came before any
        // admission of its successor.
        let during = answers.withLock { $0 }.filter { $0.at > cutAt && $0.at < healAt }
        let byOwner = during.filter { $0.servedBy == owner }.map(\.at)
        let byOthers = during.filter { $0.servedBy != owner }.map(\.at)
        #expect(!during.isEmpty, "the tenant was not served during the cut")
        if alone { #expect(!byOthers.isEmpty, "the follower did not take over from an owner cut off from everyone") }
        if let last = byOwner.max(), let first = byOthers.min() {
            #expect(last < first, "the old owner admitted after the new owner had started")
        }
        try await cluster.waitUntilSettled()
        let total = answers.withLock { $0.count }
        #expect(total <= 400)
        #expect(try await self.status(cluster, tenant, via: 0).usage == total)
    }

    @Test func aFourthMemberKeepsTheUsageAndKeysOfTheTenantsThatMove() async throws {
        let three = try await LocalCluster()
        try await three.waitUntilSettled()
        let client = RetryingClient(cluster: three)
        let far = Date().addingTimeInterval(120)
        let tenants = (0..<24).map { "grow-\($0)" }
        for (index, tenant) in tenants.enumerated() {
            try await self.setLimit(three, tenant, 50, via: index % 3)
            for attempt in 0..<(1 + index % 4) {
                let answer = try await client.consume(
                    tenant,
                    key: "\(tenant)-\(attempt)",
                    via: attempt % 3,
                    deadline: far
                )
                #expect(answer.allowed)
            }
        }
        try await three.stopAll()

        let four = try await LocalCluster(adding: "n4", to: three)
        try await four.waitUntilSettled()
        var moved = 0
        for (index, tenant) in tenants.enumerated() {
            let status = try await self.status(four, tenant, via: 3)
            if status.servedBy == "n4" { moved += 1 }
            #expect(status.usage == 1 + index % 4, "\(tenant)")
            let limits = try await four.nodes[index % 4]!.withHTTP {
                try await $0.send(.get, "/v1/tenants/\(tenant)/limits")
            }.json
            #expect((limits["limits"] as? [[String: Any]])?.first?["limit"] as? Int == 50, "\(tenant)")
            let replay = try await four.nodes[(index + 1) % 4]!.withHTTP { client in
                try await client.send(
                    .post,
                    "/v1/tenants/\(tenant)/consume",
                    #"{"metric": "calls", "amount": 1, "idempotency_key": "\#(tenant)-0"}"#
                )
            }.json
            #expect(replay["replayed"] as? Bool == true, "\(tenant)")
        }
        #expect(moved > 0, "no tenant moved to the new member")
    }

    /// What a node stores, as `tenant/metric/period=usage` lines, sorted.
    func stored(_ cluster: LocalCluster, _ index: Int) async throws -> [String] {
        let body = try await cluster.nodes[index]!.withHTTP { try await $0.send(.get, "/v1/admin/reconcile") }.json
        let rows = body["rows"] as? [[String: Any]] ?? []
        return rows.map {
            "\($0["tenant"] ?? "")/\($0["metric"] ?? "")/\($0["period_start"] ?? "")=\($0["record_usage"] ?? "")"
        }.sorted()
    }

    @Test func aMemberStartedWithAnotherListNeitherServesNorLosesItsData() async throws {
        let cluster = try await LocalCluster()
        try await cluster.waitUntilSettled()
        let client = RetryingClient(cluster: cluster)
        let far = Date().addingTimeInterval(120)
        for index in 0..<12 {
            try await self.setLimit(cluster, "keep-\(index)", 10)
            _ = try await client.consume("keep-\(index)", key: "k", via: index % 3, deadline: far)
        }
        let before = try await self.stored(cluster, 2)
        #expect(!before.isEmpty)
        try await cluster.nodes[2]?.stop(signal: SIGTERM)
        let extra = try QuotadProcess.reservePorts(1)[0]
        try await cluster.restart(2, peers: cluster.peers + ",n9=127.0.0.1:\(extra)")
        try await Task.sleep(for: .seconds(3))
        #expect(try await self.stored(cluster, 2) == before)
        let view = try await cluster.nodes[0]!.withHTTP { try await $0.send(.get, "/v1/cluster") }.json
        let states = (view["members"] as? [[String: Any]] ?? []).map { "\($0["id"] ?? "")=\($0["state"] ?? "")" }
        #expect(states.contains("n3=other_member_list"), "\(states)")
        try await cluster.nodes[2]?.stop(signal: SIGTERM)
        try await cluster.restart(2)
        try await cluster.waitUntilSettled()
        for index in 0..<12 {
            #expect(try await self.status(cluster, "keep-\(index)", via: 2).usage == 1)
        }
    }
}

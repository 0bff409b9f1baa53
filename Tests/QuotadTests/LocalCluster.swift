import Foundation
import HTTPTypes
import HummingbirdTesting
import Synchronization
import Testing

/// Three (or more) real `quotad` processes on 127.0.0.1 forming one cluster, for end-to-end tests.
final class LocalCluster: @unchecked Sendable {
    let ids: [String]
    let tcpPorts: [Int]
    let directories: [URL]
    /// The running node of each member, `nil` while it is down.
    var nodes: [QuotadProcess?]

    var peers: String { zip(self.ids, self.tcpPorts).map { "\($0)=127.0.0.1:\($1)" }.joined(separator: ",") }

    convenience init(_ ids: [String] = ["n1", "n2", "n3"]) async throws {
        try await self.init(
            ids: ids,
            tcpPorts: try QuotadProcess.reservePorts(ids.count),
            directories: try ids.map { _ in try QuotadProcess.makeDataDirectory() }
        )
    }

    /// The members of `cluster` (which must be stopped) restarted on their data, plus a new member `id`.
    convenience init(adding id: String, to cluster: LocalCluster) async throws {
        try await self.init(
            ids: cluster.ids + [id],
            tcpPorts: cluster.tcpPorts + (try QuotadProcess.reservePorts(1)),
            directories: cluster.directories + [try QuotadProcess.makeDataDirectory()]
        )
    }

    private init(ids: [String], tcpPorts: [Int], directories: [URL]) async throws {
        self.ids = ids
        self.tcpPorts = tcpPorts
        self.directories = directories
        self.nodes = Array(repeating: nil, count: ids.count)
        try await withThrowingTaskGroup(of: (Int, QuotadProcess).self) { group in
            for index in ids.indices {
                group.addTask { (index, try await self.launch(index)) }
            }
            for try await (index, node) in group { self.nodes[index] = node }
        }
    }

    func launch(_ index: Int, peers: String? = nil) async throws -> QuotadProcess {
        try await QuotadProcess(
            dataDirectory: self.directories[index],
            tcpPort: self.tcpPorts[index],
            arguments: ["--node-id", self.ids[index], "--peers", peers ?? self.peers, "--flush-interval", "50ms"]
        )
    }

    /// Starts member `index` again on its data, with the cluster's member list or `peers`.
    func restart(_ index: Int, peers: String? = nil) async throws {
        self.nodes[index] = try await self.launch(index, peers: peers)
    }

    /// Stops every node with SIGTERM (each flushes everything first).
    func stopAll() async throws {
        for index in self.live {
            #expect(try await self.nodes[index]?.stop(signal: SIGTERM) == 0)
            self.nodes[index] = nil
        }
    }

    func kill(_ index: Int) async throws {
        try await self.nodes[index]?.stop(signal: SIGKILL)
        self.nodes[index] = nil
    }

    var live: [Int] { self.ids.indices.filter { self.nodes[$0] != nil } }

    func index(of id: String) -> Int? { self.ids.firstIndex(of: id) }

    /// Each live node's `GET /v1/cluster`.
    func views() async throws -> [[String: Any]] {
        var views: [[String: Any]] = []
        for index in self.live {
            views.append(try await self.nodes[index]!.withHTTP { try await $0.send(.get, "/v1/cluster") }.json)
        }
        return views
    }

    /// Waits (at most `seconds`) until every live node agrees on every shard's assignment, no shard moves,
    /// every owner is live and holds the shard with an up-to-date follower, and every live member owns some
    /// shards (a restarted member has taken its shards back).
    func waitUntilSettled(seconds: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await self.isSettled() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw QuotadProcess.StartError(description: "the cluster did not settle within \(seconds) s")
    }

    func isSettled() async throws -> Bool {
        let views = try await self.views()
        let liveIDs = Set(self.live.map { self.ids[$0] })
        var byNode: [String: [[String: Any]]] = [:]
        for view in views {
            guard let node = view["node"] as? String, let shards = view["shards"] as? [[String: Any]] else {
                return false
            }
            byNode[node] = shards
        }
        guard let reference = byNode.values.first else { return false }
        var owners = Set<String>()
        for (position, shard) in reference.enumerated() {
            guard let owner = shard["owner"] as? String, liveIDs.contains(owner),
                let follower = shard["follower"] as? String, liveIDs.contains(follower)
            else { return false }
            owners.insert(owner)
            for shards in byNode.values {
                let other = shards[position]
                guard other["epoch"] as? Int == shard["epoch"] as? Int, other["owner"] as? String == owner,
                    other["follower"] as? String == follower, other["moving"] as? Bool == false
                else { return false }
            }
            let ownerView = byNode[owner]?[position]
            guard ownerView?["role"] as? String == "owner", ownerView?["follower_synced"] as? Bool == true else {
                return false
            }
        }
        return owners == liveIDs
    }
}

/// A client of one node that retries `unavailable` answers and lost connections with the same idempotency
/// key until it gets a definite answer, as a client of a quota service must: a timeout is indeterminate.
struct RetryingClient: Sendable {
    let cluster: LocalCluster

    /// Consumes 1 `calls` for `tenant` through member `index` (or the next live one); returns whether it was
    /// allowed and the node that decided.
    func consume(
        _ tenant: String,
        key: String,
        via index: Int,
        deadline: Date
    ) async throws -> (allowed: Bool, servedBy: String) {
        var attempt = 0
        while Date() < deadline {
            let live = self.cluster.live
            guard !live.isEmpty else { throw QuotadProcess.StartError(description: "no live node") }
            let target = live.contains(index) ? index : live[(index + attempt) % live.count]
            attempt += 1
            guard let node = self.cluster.nodes[target] else { continue }
            let response = try? await node.withHTTP { client in
                try await client.send(
                    .post,
                    "/v1/tenants/\(tenant)/consume",
                    #"{"metric": "calls", "amount": 1, "idempotency_key": "\#(key)"}"#
                )
            }
            if let response, response.status == .ok || response.status == .tooManyRequests {
                return (response.status == .ok, response.json["served_by"] as? String ?? "")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw QuotadProcess.StartError(description: "no definite answer for \(tenant)/\(key) before the deadline")
    }
}

/// A value tasks share, behind a lock.
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) { self.storage = Mutex(value) }

    func withLock<Result: Sendable>(_ body: (inout sending Value) -> sending Result) -> Result {
        self.storage.withLock(body)
    }
}

import Foundation
import QuotaCluster
import QuotaCore
import QuotaNode
import Testing

/// The engine hands messages to the peer sender while it holds its lock, so each follower receives the
/// replication stream in the order the cluster core made it. When the send happened after the lock was released,
/// two threads could send their replication messages in the opposite order, and the follower stopped at the gap
/// until the resend (commit 9787c6e).
@Suite(.timeLimit(.minutes(2))) struct ReplicationOrderTests {
    /// Threads that submit consumes at once, and how many each submits.
    static let threads = 4
    static let consumesPerThread = 5_000

    /// Two engines settle as owner and follower of each other's shards; then several threads submit consumes of
    /// tenants the first owns and, after each, send what is queued for the follower (as the event loops do after a
    /// burst), so that replication messages are made and handed to the sender on many threads at once. The entries
    /// the follower is sent, in the order the sender was called, must be 1, 2, 3, … without a gap.
    @Test func aFollowerReceivesTheReplicationStreamInOrderWhileThreadsRaceToSend() async throws {
        let cluster = try await EngineCluster(["n1", "n2"])
        try #require(try await cluster.settle(), "the two engines did not settle")
        let (ownerID, followerID) = (try NodeID("n1"), try NodeID("n2"))
        let owner = try #require(cluster.engines[ownerID])
        let requests = try Self.consumes(ownedBy: owner, count: 16)
        _ = cluster.outbox.takeAll()
        // The clock stands still from here on and nothing ticks: leases hold, no deadline passes, and nothing is
        // resent, so every replication message carries new entries only.
        await Self.onThreads(Self.threads) { thread in
            for index in 0..<Self.consumesPerThread {
                owner.submit(.consume(requests[(thread + index) % requests.count])) { _ in }
                owner.deliver(.flushOutbound)
            }
        }
        owner.deliver(.flushOutbound)
        var sequences: [UInt64] = []
        var messages = 0
        for sent in cluster.outbox.takeAll() where sent.from == ownerID && sent.to == followerID {
            guard case .replicate(let replication) = sent.message else { continue }
            messages += 1
            sequences += replication.entries.map(\.sequence)
        }
        #expect(sequences.count == Self.threads * Self.consumesPerThread, "\(messages) replication messages")
        #expect(sequences.first == 1)
        let gap = zip(sequences, sequences.dropFirst()).first { $0.1 != $0.0 + 1 }
        #expect(gap == nil, "entry \(gap?.1 ?? 0) was sent right after entry \(gap?.0 ?? 0), over \(messages) messages")
    }

    /// Consumes of `count` tenants whose shards `engine` owns (it replicates their changes to a follower).
    static func consumes(ownedBy engine: QuotaEngine, count: Int) throws -> [UsageRequest] {
        var requests: [UsageRequest] = []
        var candidate = 0
        while requests.count < count {
            let tenant = try TenantID("tenant-\(candidate)")
            candidate += 1
            guard engine.shard(of: tenant).role == .owner else { continue }
            requests.append(
                try UsageRequest(tenant: tenant, items: [UsageRequest.Item(metric: MetricCode("api_calls"), amount: 1)])
            )
        }
        return requests
    }

    /// Runs `body` on `count` threads of their own at once (not on the cooperative pool, which may have fewer
    /// threads than there are cores to race on), each given its number, and returns when all are done.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) async {
        let group = DispatchGroup()
        for thread in 0..<count {
            group.enter()
            Thread.detachNewThread {
                body(thread)
                group.leave()
            }
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            group.notify(queue: .global()) { continuation.resume() }
        }
    }
}

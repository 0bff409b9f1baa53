import Foundation
import Logging
import QuotaCluster
import QuotaCore
import QuotaNode
import QuotaStorage
import Synchronization

/// A message an engine handed to its peer sender.
struct SentMessage: Sendable {
    let from: NodeID
    let to: NodeID
    let message: PeerMessage
}

/// The messages the engines of an ``EngineCluster`` sent, in the order their senders were called.
final class PeerOutbox: Sendable {
    private let messages = Mutex<[SentMessage]>([])

    func post(_ message: SentMessage) { self.messages.withLock { $0.append(message) } }

    /// Takes every message posted so far, leaving the outbox empty.
    func takeAll() -> [SentMessage] {
        self.messages.withLock { messages in
            let taken = messages
            messages = []
            return taken
        }
    }
}

/// Clustered engines in one process, without a network: each has SQLite in a temporary directory, all share a
/// clock the test moves (wall and monotonic time alike), and their peer messages wait in a ``PeerOutbox`` until
/// the test delivers them or reads them.
final class EngineCluster: Sendable {
    /// How far the clock moves per round of ``settle(rounds:)``: the runtime's tick interval.
    static let roundMilliseconds: Int64 = 20

    let engines: [NodeID: QuotaEngine]
    let clock: ManualClock
    let outbox = PeerOutbox()

    /// Starts the members `names` (each with a distinct made-up address), their peer senders attached and every
    /// connection reported up; nothing is exchanged until ``settle(rounds:)``.
    init(_ names: [String]) async throws {
        let ids = try names.map(NodeID.init)
        let members = try ids.enumerated().map { index, id in
            try MemberAddress(id: id, host: "127.0.0.1", port: 17_071 + index)
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let clock = ManualClock()
        var engines: [NodeID: QuotaEngine] = [:]
        for id in ids {
            engines[id] = try await QuotaEngine(
                configuration: try NodeConfiguration(nodeID: id.rawValue, members: members),
                store: try SQLiteQuotaStore(path: try temporaryDatabasePath()),
                clock: { clock.now },
                monotonic: { clock.now.millisecondsSinceEpoch },
                logger: logger
            )
        }
        self.engines = engines
        self.clock = clock
        let outbox = self.outbox
        for (id, engine) in engines {
            engine.attachPeers { peer, message in outbox.post(SentMessage(from: id, to: peer, message: message)) }
        }
        for (id, engine) in engines {
            for peer in ids where peer != id { engine.peerConnectionChanged(peer, up: true) }
        }
    }

    /// Runs rounds of the cluster protocol — the clock moves by a tick, every engine ticks, then every message
    /// is delivered, answers included — until ``isSettled`` or `rounds` have passed; returns whether it settled.
    /// Between rounds it gives the engines' background work (snapshot reads from SQLite) a moment to progress.
    func settle(rounds: Int = 1500) async throws -> Bool {
        for _ in 0..<rounds {
            self.clock.advance(milliseconds: Self.roundMilliseconds)
            for engine in self.engines.values { engine.deliver(.tick) }
            self.deliverPending()
            if self.isSettled { return true }
            try await Task.sleep(for: .milliseconds(1))
        }
        return false
    }

    /// Delivers posted messages, and what they make the engines send, until the outbox stays empty.
    func deliverPending() {
        var sent = self.outbox.takeAll()
        while !sent.isEmpty {
            for message in sent { self.engines[message.to]?.deliver(.message(from: message.from, message.message)) }
            sent = self.outbox.takeAll()
        }
    }

    /// Whether every shard has an owner that may admit: the members agree on its assignment, the owner holds it
    /// with an up-to-date follower, the follower holds its replica, and the owner has a lease from it.
    var isSettled: Bool {
        let views = self.engines.values.map { $0.clusterStatus() }
        guard let first = views.first else { return false }
        for shard in first.shards.indices {
            let assignment = first.shards[shard].assignment
            guard let owner = assignment.owner, let follower = assignment.follower,
                views.allSatisfy({ $0.shards[shard].assignment == assignment }),
                let ownerView = views.first(where: { $0.node == owner }),
                let followerView = views.first(where: { $0.node == follower })
            else { return false }
            let held = ownerView.shards[shard]
            guard held.role == .owner, held.followerSynced, !held.moving,
                followerView.shards[shard].role == .follower,
                let lease = ownerView.members.first(where: { $0.id == follower })?.leaseRemainingMilliseconds,
                lease > 0
            else { return false }
        }
        return true
    }
}

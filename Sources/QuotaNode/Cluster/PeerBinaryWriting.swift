import NIOCore
import QuotaCluster
import QuotaCore
import QuotaWire

/// The peer messages of the request path, which travel in binary form (docs/cluster.md, "Peer messages"):
/// heartbeats and their acknowledgements, replication and its acknowledgements, forwarded requests and their
/// replies, and the shard reports every member sends each second. Every other message, and these when they carry a limit (a limit change, `setLimit`, a status or
/// limits reply), travels as JSON.
enum PeerBinaryTag: UInt8 {
    case heartbeat = 1
    case heartbeatAck = 2
    case replicate = 3
    case replicateAck = 4
    case forward = 5
    case forwardReply = 6
    case report = 7

    /// The tag of `message`'s binary form, or `nil` when it has none.
    init?(covering message: PeerMessage) {
        switch message {
        case .heartbeat: self = .heartbeat
        case .heartbeatAck: self = .heartbeatAck
        case .replicateAck: self = .replicateAck
        case .replicate(let replication):
            guard replication.entries.allSatisfy({ $0.delta.limitChanges.isEmpty }) else { return nil }
            self = .replicate
        case .forward(let request):
            if case .setLimit = request.operation { return nil }
            self = .forward
        case .forwardReply(let reply):
            switch reply.reply.outcome {
            case .decision, .done, .failure: self = .forwardReply
            case .status, .limits: return nil
            }
        case .report: self = .report
        case .snapshot, .snapshotAck, .transfer, .transferAck, .gather, .gatherReply:
            return nil
        }
    }
}

/// Tags of ``QuotaCluster/ClusterOperation`` in a binary forward.
enum PeerOperationTag: UInt8 {
    case consume = 1
    case check = 2
    case release = 3
    case status = 4
    case limits = 5
    case removeLimit = 6
}

/// Tags of ``QuotaCluster/ClusterReply/Outcome`` in a binary forward reply.
enum PeerOutcomeTag: UInt8 {
    case decision = 1
    case done = 2
    case failure = 3
}

extension ByteBuffer {
    /// Writes `message` in its binary form, tag first. Integers are big-endian; strings are a `u16` length and
    /// UTF-8; lists are a `u32` count (a `u16` for a request's items and a decision's results); an optional is a
    /// `u8` presence flag and the value.
    ///
    /// - Precondition: `PeerBinaryTag(covering: message)` is `tag`.
    /// - Throws: ``QuotaWire/WireError/malformedBody(_:)`` for a string or list too long for its length field
    ///   (not expected: identifiers are at most 255 bytes, metadata 4096).
    mutating func writePeerMessage(_ message: PeerMessage, tag: PeerBinaryTag) throws(WireError) {
        self.writeInteger(tag.rawValue)
        switch message {
        case .heartbeat(let heartbeat):
            self.writeInteger(heartbeat.incarnation)
            self.writeInteger(heartbeat.membershipFingerprint)
            self.writeInteger(heartbeat.sentAt)
        case .heartbeatAck(let ack):
            self.writeInteger(ack.incarnation)
            self.writeInteger(ack.heartbeatIncarnation)
            self.writeInteger(ack.echoedSentAt)
        case .replicate(let replication):
            self.writeInteger(replication.ownerIncarnation)
            self.writeInteger(replication.followerIncarnation)
            try self.writeWireLargeCount(replication.entries.count, field: "entries")
            for entry in replication.entries {
                self.writeInteger(entry.sequence)
                self.writeInteger(UInt32(truncatingIfNeeded: entry.shard))
                self.writeInteger(entry.epoch)
                try self.writeDelta(entry.delta)
            }
        case .replicateAck(let ack):
            self.writeInteger(ack.ownerIncarnation)
            self.writeInteger(ack.followerIncarnation)
            self.writeInteger(ack.upTo)
            try self.writeWireLargeCount(ack.refused.count, field: "refused")
            for sequence in ack.refused { self.writeInteger(sequence) }
        case .forward(let request):
            self.writeInteger(request.id)
            self.writeInteger(request.incarnation)
            try self.writeOperation(request.operation)
        case .forwardReply(let reply):
            self.writeInteger(reply.id)
            try self.writeWireString(reply.reply.servedBy.rawValue, field: "served_by")
            try self.writeOutcome(reply.reply.outcome)
        case .report(let reports):
            self.writeInteger(reports.incarnation)
            try self.writeWireLargeCount(reports.shards.count, field: "shards")
            for report in reports.shards {
                self.writeInteger(report.assignment.epoch)
                try self.writePresent(report.assignment.owner?.rawValue, field: "owner")
                try self.writePresent(report.assignment.follower?.rawValue, field: "follower")
                self.writeInteger(PeerRoleTag(report.role).rawValue)
            }
        case .snapshot, .snapshotAck, .transfer, .transferAck, .gather, .gatherReply:
            preconditionFailure("\(tag) does not cover this message")
        }
    }

    private mutating func writeOperation(_ operation: ClusterOperation) throws(WireError) {
        switch operation {
        case .consume(let request):
            self.writeInteger(PeerOperationTag.consume.rawValue)
            try self.writeUsageRequest(request)
        case .check(let request):
            self.writeInteger(PeerOperationTag.check.rawValue)
            try self.writeUsageRequest(request)
        case .release(let request):
            self.writeInteger(PeerOperationTag.release.rawValue)
            try self.writeUsageRequest(request)
        case .status(let tenant):
            self.writeInteger(PeerOperationTag.status.rawValue)
            try self.writeWireString(tenant.rawValue, field: "tenant")
        case .limits(let tenant):
            self.writeInteger(PeerOperationTag.limits.rawValue)
            try self.writeWireString(tenant.rawValue, field: "tenant")
        case .removeLimit(let tenant, let metric):
            self.writeInteger(PeerOperationTag.removeLimit.rawValue)
            try self.writeWireString(tenant.rawValue, field: "tenant")
            try self.writeWireString(metric.rawValue, field: "metric")
        case .setLimit:
            preconditionFailure("setLimit travels as JSON")
        }
    }

    private mutating func writeUsageRequest(_ request: UsageRequest) throws(WireError) {
        try self.writeWireString(request.tenant.rawValue, field: "tenant")
        try self.writeWireCount(request.items.count, field: "items")
        for item in request.items {
            try self.writeWireString(item.metric.rawValue, field: "metric")
            self.writeInteger(item.amount)
        }
        try self.writePresent(request.idempotencyKey?.rawValue, field: "idempotency_key")
        try self.writePresent(request.metadata, field: "metadata")
    }

    private mutating func writeOutcome(_ outcome: ClusterReply.Outcome) throws(WireError) {
        switch outcome {
        case .decision(let decision):
            self.writeInteger(PeerOutcomeTag.decision.rawValue)
            try self.writeDecision(decision)
        case .done:
            self.writeInteger(PeerOutcomeTag.done.rawValue)
        case .failure(let error):
            self.writeInteger(PeerOutcomeTag.failure.rawValue)
            try self.writeWireString(error.code.rawValue, field: "error code")
            try self.writeWireString(error.message, field: "error message")
        case .status, .limits:
            preconditionFailure("status and limits replies travel as JSON")
        }
    }

    private mutating func writeDelta(_ delta: LedgerDelta) throws(WireError) {
        try self.writeWireLargeCount(delta.records.count, field: "records")
        for record in delta.records {
            try self.writeWireString(record.tenant.rawValue, field: "tenant")
            try self.writeWireString(record.metric.rawValue, field: "metric")
            self.writeInteger(record.periodStart.millisecondsSinceEpoch)
            self.writeInteger(record.periodEnd.millisecondsSinceEpoch)
            self.writeInteger(record.usage)
            self.writeInteger(record.updatedAt.millisecondsSinceEpoch)
        }
        try self.writeWireLargeCount(delta.events.count, field: "events")
        for event in delta.events {
            try self.writeWireString(event.eventID, field: "event id")
            self.writeInteger(event.sequence)
            try self.writeWireString(event.tenant.rawValue, field: "tenant")
            try self.writeWireString(event.metric.rawValue, field: "metric")
            self.writeInteger(event.amount)
            self.writeInteger(event.periodStart.millisecondsSinceEpoch)
            try self.writePresent(event.idempotencyKey?.rawValue, field: "idempotency_key")
            try self.writePresent(event.metadata, field: "metadata")
            self.writeInteger(event.createdAt.millisecondsSinceEpoch)
        }
        try self.writeWireLargeCount(delta.idempotency.count, field: "idempotency keys")
        for entry in delta.idempotency {
            try self.writeWireString(entry.tenant.rawValue, field: "tenant")
            try self.writeWireString(entry.key.rawValue, field: "idempotency_key")
            self.writeInteger(entry.fingerprint)
            try self.writeDecision(entry.decision)
            self.writeInteger(entry.createdAt.millisecondsSinceEpoch)
        }
    }

    private mutating func writeDecision(_ decision: Decision) throws(WireError) {
        self.writeWireFlag(decision.allowed)
        try self.writeWireString(decision.tenant, field: "tenant")
        try self.writeWireCount(decision.results.count, field: "results")
        for item in decision.results {
            try self.writeWireString(item.metric, field: "metric")
            self.writeWireFlag(item.allowed)
            self.writeInteger(PeerEnforcementTag(item.enforcement).rawValue)
            self.writeInteger(item.usage)
            self.writePresent(item.limit)
            self.writePresent(item.remaining)
            self.writeWireFlag(item.exceeded)
            self.writeInteger(item.overage)
            self.writeInteger(item.periodStart.millisecondsSinceEpoch)
            self.writeInteger(item.periodEnd.millisecondsSinceEpoch)
        }
        try self.writePresent(decision.eventID, field: "event id")
        self.writePresent(decision.retryAfterMilliseconds)
        self.writeWireFlag(decision.replayed)
    }

    private mutating func writePresent(_ value: String?, field: String) throws(WireError) {
        self.writeWireFlag(value != nil)
        if let value { try self.writeWireString(value, field: field) }
    }

    private mutating func writePresent(_ value: Int64?) {
        self.writeWireFlag(value != nil)
        if let value { self.writeInteger(value) }
    }
}

/// ``QuotaCore/Enforcement`` as one byte.
enum PeerEnforcementTag: UInt8 {
    case hard = 0
    case soft = 1
    case none = 2

    init(_ enforcement: Enforcement) {
        switch enforcement {
        case .hard: self = .hard
        case .soft: self = .soft
        case .none: self = .none
        }
    }

    var enforcement: Enforcement {
        switch self {
        case .hard: .hard
        case .soft: .soft
        case .none: .none
        }
    }
}

/// ``QuotaCluster/ShardRole`` as one byte.
enum PeerRoleTag: UInt8 {
    case none = 0
    case owner = 1
    case follower = 2

    init(_ role: ShardRole) {
        switch role {
        case .none: self = .none
        case .owner: self = .owner
        case .follower: self = .follower
        }
    }

    var role: ShardRole {
        switch self {
        case .none: .none
        case .owner: .owner
        case .follower: .follower
        }
    }
}

import NIOCore
import QuotaCluster
import QuotaCore
import QuotaWire

extension WireBodyReader {
    /// Reads a peer message in the binary form `ByteBuffer.writePeerMessage(_:tag:)` writes, tag first.
    ///
    /// - Throws: ``QuotaWire/WireError/malformedBody(_:)`` for an unknown tag, a body that ends early, an
    ///   invalid identifier, request or error code, or a flag other than 0 or 1.
    mutating func readPeerMessage() throws(WireError) -> PeerMessage {
        let rawTag = try self.readInteger("message tag", as: UInt8.self)
        guard let tag = PeerBinaryTag(rawValue: rawTag) else {
            throw .malformedBody("unknown binary peer message tag \(rawTag)")
        }
        switch tag {
        case .heartbeat:
            return .heartbeat(
                Heartbeat(
                    incarnation: try self.readInteger("incarnation", as: UInt64.self),
                    membershipFingerprint: try self.readInteger("membership fingerprint", as: UInt64.self),
                    sentAt: try self.readInteger("sent at", as: Int64.self)
                )
            )
        case .heartbeatAck:
            return .heartbeatAck(
                HeartbeatAck(
                    incarnation: try self.readInteger("incarnation", as: UInt64.self),
                    heartbeatIncarnation: try self.readInteger("heartbeat incarnation", as: UInt64.self),
                    echoedSentAt: try self.readInteger("echoed sent at", as: Int64.self)
                )
            )
        case .replicate:
            let owner = try self.readInteger("owner incarnation", as: UInt64.self)
            let follower = try self.readInteger("follower incarnation", as: UInt64.self)
            let count = try self.readLargeCount("entries", minimumElementBytes: 32)
            var entries: [ReplicationEntry] = []
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let sequence = try self.readInteger("sequence", as: UInt64.self)
                let shard = Int(try self.readInteger("shard", as: UInt32.self))
                let epoch = try self.readInteger("epoch", as: UInt64.self)
                entries.append(
                    ReplicationEntry(sequence: sequence, shard: shard, epoch: epoch, delta: try self.readDelta())
                )
            }
            return .replicate(Replication(ownerIncarnation: owner, followerIncarnation: follower, entries: entries))
        case .replicateAck:
            let owner = try self.readInteger("owner incarnation", as: UInt64.self)
            let follower = try self.readInteger("follower incarnation", as: UInt64.self)
            let upTo = try self.readInteger("acknowledged sequence", as: UInt64.self)
            let count = try self.readLargeCount("refused", minimumElementBytes: 8)
            var refused: [UInt64] = []
            refused.reserveCapacity(count)
            for _ in 0..<count { refused.append(try self.readInteger("refused sequence", as: UInt64.self)) }
            return .replicateAck(
                ReplicationAck(ownerIncarnation: owner, followerIncarnation: follower, upTo: upTo, refused: refused)
            )
        case .forward:
            let id = try self.readInteger("request id", as: UInt64.self)
            let incarnation = try self.readInteger("incarnation", as: UInt64.self)
            return .forward(ForwardedRequest(id: id, incarnation: incarnation, operation: try self.readOperation()))
        case .report:
            let incarnation = try self.readInteger("incarnation", as: UInt64.self)
            let count = try self.readLargeCount("shards", minimumElementBytes: 11)
            var shards: [ShardReport] = []
            shards.reserveCapacity(count)
            for _ in 0..<count {
                let epoch = try self.readInteger("epoch", as: UInt64.self)
                let owner = try self.readPresentNode("owner")
                let follower = try self.readPresentNode("follower")
                let rawRole = try self.readInteger("role", as: UInt8.self)
                guard let role = PeerRoleTag(rawValue: rawRole)?.role else {
                    throw .malformedBody("unknown shard role \(rawRole)")
                }
                shards.append(
                    ShardReport(assignment: ShardAssignment(epoch: epoch, owner: owner, follower: follower), role: role)
                )
            }
            return .report(ShardReports(incarnation: incarnation, shards: shards))
        case .forwardReply:
            let id = try self.readInteger("request id", as: UInt64.self)
            let rawServedBy = try self.readString("served_by")
            let servedBy = try Self.validated { try NodeID(rawServedBy) }
            return .forwardReply(
                ForwardedReply(id: id, reply: ClusterReply(try self.readOutcome(), servedBy: servedBy))
            )
        }
    }

    private mutating func readOperation() throws(WireError) -> ClusterOperation {
        let rawTag = try self.readInteger("operation", as: UInt8.self)
        guard let tag = PeerOperationTag(rawValue: rawTag) else {
            throw .malformedBody("unknown forwarded operation \(rawTag)")
        }
        switch tag {
        case .consume: return .consume(try self.readUsageRequest())
        case .check: return .check(try self.readUsageRequest())
        case .release: return .release(try self.readUsageRequest())
        case .status: return .status(try self.readTenant())
        case .limits: return .limits(try self.readTenant())
        case .removeLimit: return .removeLimit(try self.readTenant(), try self.readMetric())
        }
    }

    private mutating func readUsageRequest() throws(WireError) -> UsageRequest {
        let tenant = try self.readTenant()
        let count = try self.readCount("items", minimumElementBytes: 10)
        var items = SmallArray<UsageRequest.Item>()
        items.reserveCapacity(count)
        for _ in 0..<count {
            items.append(
                UsageRequest.Item(metric: try self.readMetric(), amount: try self.readInteger("amount", as: Int64.self))
            )
        }
        let key = try self.readPresentIdempotencyKey()
        let metadata = try self.readPresentString("metadata")
        return try Self.validated {
            try UsageRequest(
                tenant: tenant,
                items: items,
                idempotencyKey: key,
                metadata: metadata,
                allowZeroAmounts: items.contains { $0.amount == 0 }
            )
        }
    }

    private mutating func readOutcome() throws(WireError) -> ClusterReply.Outcome {
        let rawTag = try self.readInteger("outcome", as: UInt8.self)
        guard let tag = PeerOutcomeTag(rawValue: rawTag) else {
            throw .malformedBody("unknown forwarded outcome \(rawTag)")
        }
        switch tag {
        case .decision: return .decision(try self.readDecision())
        case .done: return .done
        case .failure:
            let name = try self.readString("error code")
            guard let code = QuotaError.Code(rawValue: name) else {
                throw .malformedBody("unknown error code '\(name)'")
            }
            return .failure(QuotaError(code, try self.readString("error message")))
        }
    }

    private mutating func readDelta() throws(WireError) -> LedgerDelta {
        var delta = LedgerDelta()
        let records = try self.readLargeCount("records", minimumElementBytes: 36)
        delta.records.reserveCapacity(records)
        for _ in 0..<records {
            delta.records.append(
                UsageRecord(
                    tenant: try self.readTenant(),
                    metric: try self.readMetric(),
                    periodStart: try self.readTimestamp("period start"),
                    periodEnd: try self.readTimestamp("period end"),
                    usage: try self.readInteger("usage", as: Int64.self),
                    updatedAt: try self.readTimestamp("updated at")
                )
            )
        }
        let events = try self.readLargeCount("events", minimumElementBytes: 40)
        delta.events.reserveCapacity(events)
        for _ in 0..<events {
            delta.events.append(
                UsageEvent(
                    eventID: try self.readString("event id"),
                    sequence: try self.readInteger("event sequence", as: Int64.self),
                    tenant: try self.readTenant(),
                    metric: try self.readMetric(),
                    amount: try self.readInteger("amount", as: Int64.self),
                    periodStart: try self.readTimestamp("period start"),
                    idempotencyKey: try self.readPresentIdempotencyKey(),
                    metadata: try self.readPresentString("metadata"),
                    createdAt: try self.readTimestamp("created at")
                )
            )
        }
        let keys = try self.readLargeCount("idempotency keys", minimumElementBytes: 24)
        delta.idempotency.reserveCapacity(keys)
        for _ in 0..<keys {
            let tenant = try self.readTenant()
            let rawKey = try self.readString("idempotency_key")
            let key = try Self.validated { try IdempotencyKey(rawKey) }
            delta.idempotency.append(
                IdempotencyEntry(
                    tenant: tenant,
                    key: key,
                    fingerprint: try self.readInteger("fingerprint", as: UInt64.self),
                    decision: try self.readDecision(),
                    createdAt: try self.readTimestamp("created at")
                )
            )
        }
        return delta
    }

    private mutating func readDecision() throws(WireError) -> Decision {
        let allowed = try self.readFlag("allowed")
        let tenant = try self.readString("tenant")
        let count = try self.readCount("results", minimumElementBytes: 45)
        var results: [Decision.Item] = []
        results.reserveCapacity(count)
        for _ in 0..<count {
            let metric = try self.readString("metric")
            let itemAllowed = try self.readFlag("allowed")
            let rawEnforcement = try self.readInteger("enforcement", as: UInt8.self)
            guard let enforcement = PeerEnforcementTag(rawValue: rawEnforcement)?.enforcement else {
                throw .malformedBody("unknown enforcement \(rawEnforcement)")
            }
            results.append(
                Decision.Item(
                    metric: metric,
                    allowed: itemAllowed,
                    enforcement: enforcement,
                    usage: try self.readInteger("usage", as: Int64.self),
                    limit: try self.readPresentInteger("limit"),
                    remaining: try self.readPresentInteger("remaining"),
                    exceeded: try self.readFlag("exceeded"),
                    overage: try self.readInteger("overage", as: Int64.self),
                    periodStart: try self.readTimestamp("period start"),
                    periodEnd: try self.readTimestamp("period end")
                )
            )
        }
        return Decision(
            allowed: allowed,
            tenant: tenant,
            results: results,
            eventID: try self.readPresentString("event id"),
            retryAfterMilliseconds: try self.readPresentInteger("retry after"),
            replayed: try self.readFlag("replayed")
        )
    }

    private mutating func readTenant() throws(WireError) -> TenantID {
        let raw = try self.readString("tenant")
        return try Self.validated { try TenantID(raw) }
    }

    private mutating func readMetric() throws(WireError) -> MetricCode {
        let raw = try self.readString("metric")
        return try Self.validated { try MetricCode(raw) }
    }

    private mutating func readTimestamp(_ field: String) throws(WireError) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: try self.readInteger(field, as: Int64.self))
    }

    private mutating func readPresentString(_ field: String) throws(WireError) -> String? {
        try self.readFlag(field) ? try self.readString(field) : nil
    }

    private mutating func readPresentInteger(_ field: String) throws(WireError) -> Int64? {
        try self.readFlag(field) ? try self.readInteger(field, as: Int64.self) : nil
    }

    private mutating func readPresentNode(_ field: String) throws(WireError) -> NodeID? {
        guard let raw = try self.readPresentString(field) else { return nil }
        return try Self.validated { try NodeID(raw) }
    }

    private mutating func readPresentIdempotencyKey() throws(WireError) -> IdempotencyKey? {
        guard let raw = try self.readPresentString("idempotency_key") else { return nil }
        return try Self.validated { try IdempotencyKey(raw) }
    }

    /// Runs a domain validation, turning its error (a ``QuotaCore/QuotaError``) into a
    /// ``QuotaWire/WireError/malformedBody(_:)``.
    private static func validated<Value>(_ make: () throws -> Value) throws(WireError) -> Value {
        do {
            return try make()
        } catch {
            throw .malformedBody("\(error)")
        }
    }
}

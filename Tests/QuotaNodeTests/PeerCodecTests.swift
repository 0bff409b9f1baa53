import NIOCore
import QuotaCluster
import QuotaCore
import QuotaWire
import Testing

@testable import QuotaNode

@Suite("Peer codec: binary request path, JSON for the rest")
struct PeerCodecTests {
    static let sender = try! NodeID("n2")

    static func roundTrip(_ message: PeerMessage) throws -> (format: UInt8?, decoded: PeerEnvelope) {
        let body = try PeerCodec.encode(PeerEnvelope(from: Self.sender, members: 0xABCD, message: message))
        return (body.getInteger(at: body.readerIndex, as: UInt8.self), try PeerCodec.decode(body))
    }

    static func request(
        _ tenant: String,
        amount: Int64 = 3,
        key: String? = "k-1",
        metadata: String? = "m"
    ) throws
        -> UsageRequest
    {
        try UsageRequest(
            tenant: TenantID(tenant),
            items: [
                .init(metric: MetricCode("api_calls"), amount: amount), .init(metric: MetricCode("bytes"), amount: 0),
            ],
            idempotencyKey: key.map { try IdempotencyKey($0) },
            metadata: metadata,
            allowZeroAmounts: true
        )
    }

    static func decision(_ random: inout SplitMix) -> Decision {
        let items = (0..<Int(random.next() % 3)).map { index in
            Decision.Item(
                metric: "metric-\(index)",
                allowed: random.next() % 2 == 0,
                enforcement: [.hard, .soft, .none][Int(random.next() % 3)],
                usage: Int64(random.next() % 1_000_000),
                limit: random.next() % 2 == 0 ? nil : Int64(random.next() % 1000),
                remaining: random.next() % 2 == 0 ? nil : 0,
                exceeded: random.next() % 2 == 0,
                overage: Int64(random.next() % 10),
                periodStart: Timestamp(millisecondsSinceEpoch: Int64(random.next() % 1 << 40)),
                periodEnd: Timestamp(millisecondsSinceEpoch: -1)
            )
        }
        return Decision(
            allowed: random.next() % 2 == 0,
            tenant: "tenant-é-\(random.next() % 100)",
            results: items,
            eventID: random.next() % 2 == 0 ? nil : "n1-3-\(random.next())",
            retryAfterMilliseconds: random.next() % 2 == 0 ? nil : Int64(random.next() % 60_000),
            replayed: random.next() % 2 == 0
        )
    }

    static func delta(_ random: inout SplitMix) throws -> LedgerDelta {
        var delta = LedgerDelta()
        let tenant = try TenantID("t-\(random.next() % 50)")
        let metric = try MetricCode("api_calls")
        for index in 0..<Int(random.next() % 4) {
            delta.records.append(
                UsageRecord(
                    tenant: tenant,
                    metric: metric,
                    periodStart: Timestamp(millisecondsSinceEpoch: Int64(index) * 60_000),
                    periodEnd: Timestamp(millisecondsSinceEpoch: Int64(index + 1) * 60_000),
                    usage: Int64(random.next() % 1000),
                    updatedAt: Timestamp(millisecondsSinceEpoch: Int64(random.next() % 1 << 41))
                )
            )
        }
        for index in 0..<Int(random.next() % 4) {
            delta.events.append(
                UsageEvent(
                    eventID: "n1-1-\(index)",
                    sequence: Int64(index),
                    tenant: tenant,
                    metric: metric,
                    amount: Int64(random.next() % 10),
                    periodStart: Timestamp(millisecondsSinceEpoch: 0),
                    idempotencyKey: random.next() % 2 == 0 ? nil : try IdempotencyKey("key-\(index)"),
                    metadata: [nil, "", "{\"a\":1}"][Int(random.next() % 3)],
                    createdAt: Timestamp(millisecondsSinceEpoch: 5)
                )
            )
        }
        for index in 0..<Int(random.next() % 3) {
            delta.idempotency.append(
                IdempotencyEntry(
                    tenant: tenant,
                    key: try IdempotencyKey("key-\(index)"),
                    fingerprint: random.next(),
                    decision: Self.decision(&random),
                    createdAt: Timestamp(millisecondsSinceEpoch: 7)
                )
            )
        }
        return delta
    }

    @Test("the request path's messages travel in binary and come back equal")
    func binaryRoundTrip() throws {
        let messages: [PeerMessage] = [
            .heartbeat(Heartbeat(incarnation: 3, membershipFingerprint: .max, sentAt: -5)),
            .heartbeatAck(HeartbeatAck(incarnation: 4, heartbeatIncarnation: 3, echoedSentAt: 1 << 50)),
            .report(
                ShardReports(
                    incarnation: 9,
                    shards: [
                        ShardReport(assignment: .unassigned, role: .none),
                        ShardReport(
                            assignment: ShardAssignment(epoch: 4, owner: Self.sender, follower: try NodeID("n3")),
                            role: .owner
                        ),
                        ShardReport(
                            assignment: ShardAssignment(epoch: 5, owner: nil, follower: Self.sender),
                            role: .follower
                        ),
                    ]
                )
            ),
            .replicateAck(ReplicationAck(ownerIncarnation: 1, followerIncarnation: 2, upTo: 99, refused: [4, 7])),
            .forward(ForwardedRequest(id: 1, incarnation: 2, operation: .consume(try Self.request("a")))),
            .forward(ForwardedRequest(id: 1, incarnation: 2, operation: .check(try Self.request("b", key: nil)))),
            .forward(ForwardedRequest(id: 1, incarnation: 2, operation: .release(try Self.request("c", metadata: "")))),
            .forward(ForwardedRequest(id: 1, incarnation: 2, operation: .status(try TenantID("d")))),
            .forward(ForwardedRequest(id: 1, incarnation: 2, operation: .limits(try TenantID("e")))),
            .forward(
                ForwardedRequest(id: 1, incarnation: 2, operation: .removeLimit(try TenantID("f"), try MetricCode("g")))
            ),
            .forwardReply(ForwardedReply(id: 8, reply: ClusterReply(.done, servedBy: Self.sender))),
            .forwardReply(
                ForwardedReply(
                    id: 8,
                    reply: ClusterReply(.failure(QuotaError(.unavailable, "no owner")), servedBy: Self.sender)
                )
            ),
        ]
        for message in messages {
            let (format, decoded) = try Self.roundTrip(message)
            #expect(format == PeerCodec.Format.binary.rawValue)
            #expect(decoded.message == message)
            #expect(decoded.from == Self.sender)
            #expect(decoded.members == 0xABCD)
        }
    }

    @Test("random replications and decisions round-trip in binary", arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func randomRoundTrip(seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        for _ in 0..<50 {
            let entries = try (0..<Int(random.next() % 5)).map { index in
                ReplicationEntry(
                    sequence: UInt64(index + 1),
                    shard: Int(random.next() % 384),
                    epoch: random.next(),
                    delta: try Self.delta(&random)
                )
            }
            let replication = PeerMessage.replicate(
                Replication(ownerIncarnation: random.next(), followerIncarnation: random.next(), entries: entries)
            )
            let reply = PeerMessage.forwardReply(
                ForwardedReply(
                    id: random.next(),
                    reply: ClusterReply(.decision(Self.decision(&random)), servedBy: Self.sender)
                )
            )
            for message in [replication, reply] {
                let (format, decoded) = try Self.roundTrip(message)
                #expect(format == PeerCodec.Format.binary.rawValue)
                #expect(decoded.message == message)
            }
        }
    }

    @Test("messages that carry a limit, and the rare ones, travel as JSON and come back equal")
    func jsonFallback() throws {
        let limit = try Limit(
            tenant: TenantID("a"),
            metric: MetricCode("api_calls"),
            value: 10,
            period: PeriodSpec(unit: .minute),
            enforcement: .hard,
            audit: .aggregate
        )
        var delta = LedgerDelta()
        delta.limitChanges.append(.set(limit))
        let messages: [PeerMessage] = [
            .forward(ForwardedRequest(id: 1, incarnation: 1, operation: .setLimit(limit))),
            .forwardReply(ForwardedReply(id: 1, reply: ClusterReply(.limits([limit]), servedBy: Self.sender))),
            .replicate(
                Replication(
                    ownerIncarnation: 1,
                    followerIncarnation: 2,
                    entries: [ReplicationEntry(sequence: 1, shard: 3, epoch: 4, delta: delta)]
                )
            ),
            .gather(GatherRequest(id: 5, shards: [1, 2])),
        ]
        for message in messages {
            let (format, decoded) = try Self.roundTrip(message)
            #expect(format == PeerCodec.Format.json.rawValue)
            #expect(decoded.message == message)
        }
    }

    static func binaryBody(_ build: (inout ByteBuffer) -> Void) -> ByteBuffer {
        var body = ByteBuffer(integer: PeerCodec.Format.binary.rawValue)
        body.writeInteger(UInt16(2))
        body.writeString("n2")
        body.writeInteger(UInt64(1))
        build(&body)
        return body
    }

    @Test("bad bodies are refused with a typed error")
    func badBodies() throws {
        let good = try PeerCodec.encode(
            PeerEnvelope(
                from: Self.sender,
                members: 1,
                message: .forward(ForwardedRequest(id: 1, incarnation: 2, operation: .consume(try Self.request("a"))))
            )
        )
        var truncated = good
        truncated.moveWriterIndex(to: good.writerIndex - 3)
        var trailing = good
        trailing.writeInteger(UInt8(0))
        let bad: [ByteBuffer] = [
            ByteBuffer(),
            ByteBuffer(integer: UInt8(9)),
            truncated,
            trailing,
            Self.binaryBody { $0.writeInteger(UInt8(77)) },
            Self.binaryBody { body in
                body.writeInteger(PeerBinaryTag.forward.rawValue)
                body.writeInteger(UInt64(1))
                body.writeInteger(UInt64(1))
                body.writeInteger(UInt8(42))
            },
            Self.binaryBody { body in
                body.writeInteger(PeerBinaryTag.forward.rawValue)
                body.writeInteger(UInt64(1))
                body.writeInteger(UInt64(1))
                body.writeInteger(PeerOperationTag.status.rawValue)
                body.writeInteger(UInt16(0))
            },
            Self.binaryBody { body in
                body.writeInteger(PeerBinaryTag.replicateAck.rawValue)
                body.writeInteger(UInt64(1))
                body.writeInteger(UInt64(1))
                body.writeInteger(UInt64(1))
                body.writeInteger(UInt32.max)
            },
            Self.binaryBody { body in
                body.writeInteger(PeerBinaryTag.report.rawValue)
                body.writeInteger(UInt64(1))
                body.writeInteger(UInt32(1))
                body.writeInteger(UInt64(1))
                body.writeInteger(UInt8(0))
                body.writeInteger(UInt8(0))
                body.writeInteger(UInt8(9))
            },
            Self.binaryBody { body in
                body.writeInteger(PeerBinaryTag.forwardReply.rawValue)
                body.writeInteger(UInt64(1))
                body.writeInteger(UInt16(2))
                body.writeString("n1")
                body.writeInteger(PeerOutcomeTag.failure.rawValue)
                body.writeInteger(UInt16(4))
                body.writeString("nope")
                body.writeInteger(UInt16(0))
            },
        ]
        for body in bad {
            #expect(throws: WireError.self) { try PeerCodec.decode(body) }
        }
        var json = ByteBuffer(integer: PeerCodec.Format.json.rawValue)
        json.writeString("{\"from\":\"n1\"}")
        #expect(throws: DecodingError.self) { try PeerCodec.decode(json) }
    }
}

/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014), for
/// seeded test data.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { self.state = seed }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import QuotaJSON

/// The JSON answers of the quotad HTTP API.
///
/// Fields the API documents as nullable are optionals; times stay RFC 3339 strings, printed as the node wrote them.
/// Snake-case keys are mapped by explicit `CodingKeys`, not by `JSONDecoder.KeyDecodingStrategy.convertFromSnakeCase`,
/// which would also rewrite the keys inside free-form `metadata` objects.
enum Answers {
    /// A limit object, as returned by `PUT …/limits/{metric}` and listed by `GET …/limits`.
    struct Limit: Decodable {
        var tenant: String
        var metric: String
        var limit: Int64
        var period: String
        var enforcement: String
        var anchor: Anchor?
        var timeZone: String?
        var audit: String?

        private enum CodingKeys: String, CodingKey {
            case tenant, metric, limit, period, enforcement, anchor, audit
            case timeZone = "time_zone"
        }
    }

    /// The billing-cycle anchor of a monthly (`day`) or yearly (`month` and `day`) limit.
    struct Anchor: Decodable {
        var month: Int?
        var day: Int?
    }

    /// `GET /v1/tenants/{tenant}/limits`.
    struct LimitList: Decodable {
        var tenant: String
        var limits: [Limit]
    }

    /// The answer to consume, check and release (also the body of a 429).
    struct Decision: Decodable {
        var allowed: Bool
        var replayed: Bool
        var tenant: String
        var servedBy: String
        var eventId: String?
        /// Seconds until a retry could succeed; present when a hard limit denied the request.
        var retryAfter: Double?
        var results: [MetricResult]

        private enum CodingKeys: String, CodingKey {
            case allowed, replayed, tenant, results
            case servedBy = "served_by"
            case eventId = "event_id"
            case retryAfter = "retry_after"
        }
    }

    /// One metric's part of a ``Decision``.
    struct MetricResult: Decodable {
        var metric: String
        var allowed: Bool
        var enforcement: String
        var usage: Int64
        var limit: Int64?
        var remaining: Int64?
        var exceeded: Bool
        var overage: Int64
        var periodStart: String?
        var periodEnd: String?

        private enum CodingKeys: String, CodingKey {
            case metric, allowed, enforcement, usage, limit, remaining, exceeded, overage
            case periodStart = "period_start"
            case periodEnd = "period_end"
        }
    }

    /// `GET /v1/tenants/{tenant}/status`.
    struct Status: Decodable {
        var tenant: String
        var servedBy: String
        var metrics: [MetricStatus]

        private enum CodingKeys: String, CodingKey {
            case tenant, metrics
            case servedBy = "served_by"
        }
    }

    /// One metric's row in a ``Status``.
    struct MetricStatus: Decodable {
        var metric: String
        var usage: Int64
        var limit: Int64?
        var remaining: Int64?
        var enforcement: String
        var period: String
        var periodStart: String?
        var periodEnd: String?
        var exceeded: Bool

        private enum CodingKeys: String, CodingKey {
            case metric, usage, limit, remaining, enforcement, period, exceeded
            case periodStart = "period_start"
            case periodEnd = "period_end"
        }
    }

    /// `GET /v1/tenants/{tenant}/events`: one page of the audit trail.
    struct EventPage: Decodable {
        var tenant: String
        var events: [Event]
        var nextCursor: String?

        private enum CodingKeys: String, CodingKey {
            case tenant, events
            case nextCursor = "next_cursor"
        }
    }

    /// One immutable usage event.
    struct Event: Decodable {
        var eventId: String
        var metric: String
        var amount: Int64
        var idempotencyKey: String?
        var metadata: JSONValue?
        var createdAt: String

        private enum CodingKeys: String, CodingKey {
            case metric, amount, metadata
            case eventId = "event_id"
            case idempotencyKey = "idempotency_key"
            case createdAt = "created_at"
        }
    }

    /// `GET /v1/tenants/{tenant}/records`.
    struct RecordList: Decodable {
        var tenant: String
        var records: [Record]
    }

    /// The counter of one (metric, period).
    struct Record: Decodable {
        var metric: String
        var periodStart: String
        var periodEnd: String
        var usage: Int64
        var updatedAt: String

        private enum CodingKeys: String, CodingKey {
            case metric, usage
            case periodStart = "period_start"
            case periodEnd = "period_end"
            case updatedAt = "updated_at"
        }
    }

    /// `GET /v1/cluster`: the answering node's view of the members, its shards and their epochs.
    struct Cluster: Decodable {
        var node: String
        var incarnation: Int64
        var members: [ClusterMember]
        var summary: ClusterSummary
        var shards: [ClusterShard]
    }

    /// One member of a ``Cluster``, as the answering node sees it.
    struct ClusterMember: Decodable {
        var id: String
        /// `self`, `alive`, `suspected` or `unknown`.
        var state: String
        /// The member's binary-protocol address, `host:port`; `nil` for a single node without a peer list.
        var address: String?
        var incarnation: Int64
        /// Milliseconds since the answering node last heard from the member; `nil` for itself and for a member
        /// it never heard.
        var lastHeardMillisecondsAgo: Int64?
        /// Milliseconds the answering node's lease from the member still runs (0 when expired or never granted).
        var leaseRemainingMilliseconds: Int64
        var connected: Bool

        private enum CodingKeys: String, CodingKey {
            case id, state, address, incarnation, connected
            case lastHeardMillisecondsAgo = "last_heard_ms_ago"
            case leaseRemainingMilliseconds = "lease_remaining_ms"
        }
    }

    /// The counts of a ``Cluster``: `owned`, `followed` and `moving` are the answering node's own shards.
    struct ClusterSummary: Decodable {
        var shards: Int64
        var owned: Int64
        var followed: Int64
        var moving: Int64
        var highestEpoch: Int64
        /// Shards per owner, as far as the answering node knows; `none` counts shards without an owner.
        var owners: [String: Int64]

        private enum CodingKeys: String, CodingKey {
            case shards, owned, followed, moving, owners
            case highestEpoch = "highest_epoch"
        }
    }

    /// One shard of a ``Cluster``: its latest assignment and the answering node's role in it.
    struct ClusterShard: Decodable {
        var index: Int64
        var name: String
        var epoch: Int64
        var owner: String?
        var follower: String?
        /// `owner`, `follower` or `none`.
        var role: String
        var followerSynced: Bool
        var moving: Bool

        private enum CodingKeys: String, CodingKey {
            case index, name, epoch, owner, follower, role, moving
            case followerSynced = "follower_synced"
        }
    }

    /// `GET /v1/admin/reconcile`: every stored (tenant, metric, period) of one node.
    struct Reconcile: Decodable {
        var node: String
        var rows: [ReconcileRow]
    }

    /// One stored (tenant, metric, period) of a node: its usage record against a summary of its usage events.
    struct ReconcileRow: Decodable, Hashable {
        var tenant: String
        var metric: String
        var periodStart: String
        /// The record's usage, or `nil` when the period has events but no record.
        var recordUsage: Int64?
        var eventSum: Int64
        var eventCount: Int64
        /// An order-independent digest of the period's event ids, in hexadecimal: replicas holding the same
        /// events report the same digest.
        var eventDigest: String
        /// `full` or `aggregate` (no events are stored; the record alone is the usage).
        var audit: String
        /// The node's role for the tenant's shard: `owner`, `follower` or `none`.
        var role: String
        /// Whether the node found the record and the events in agreement (always true for `aggregate`).
        var consistent: Bool

        private enum CodingKeys: String, CodingKey {
            case tenant, metric, audit, role, consistent
            case periodStart = "period_start"
            case recordUsage = "record_usage"
            case eventSum = "event_sum"
            case eventCount = "event_count"
            case eventDigest = "event_digest"
        }
    }
}

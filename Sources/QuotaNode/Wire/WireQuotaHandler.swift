import QuotaCluster
import QuotaCore
import QuotaTransport
import QuotaWire

/// Answers binary-protocol requests from the engine: the same decisions as the HTTP API, without JSON.
///
/// Runs on the connection's event loop and answers at once: a decision is a memory-only operation.
public struct WireQuotaHandler: WireRequestHandler {
    let engine: QuotaEngine

    /// Creates a handler over `engine`.
    public init(engine: QuotaEngine) { self.engine = engine }

    public func handle(_ request: WireRequest, respond: @escaping @Sendable (WireResponse) -> Void) {
        self.handle([request], respond: respond)
    }

    /// Runs the requests of one read under one engine lock; a request that does not map to an operation (an
    /// invalid id or amount, say) is answered with its error at once and the others go on.
    public func handle(_ requests: [WireRequest], respond: @escaping @Sendable (WireResponse) -> Void) {
        var operations: [ClusterOperation] = []
        // The position in `requests` of each operation's request; requests are read in place through it, as a
        // copy would retain and release each of their strings and arrays.
        var positions: [Int] = []
        operations.reserveCapacity(requests.count)
        positions.reserveCapacity(requests.count)
        for position in requests.indices {
            do {
                operations.append(try self.operation(requests[position]))
                positions.append(position)
            } catch {
                respond(WireResponse(requestID: requests[position].requestID, body: Self.error(error)))
            }
        }
        let submitted = positions
        self.engine.submit(operations) { index, reply in
            let position = submitted[index]
            respond(
                WireResponse(
                    requestID: requests[position].requestID,
                    body: Self.body(reply, tenant: requests[position].tenant)
                )
            )
        }
    }

    /// The binary-protocol answer to a cluster reply; `tenant` is the requested tenant, which a status echoes.
    private static func body(_ reply: ClusterReply, tenant: String) -> WireResponse.Body {
        switch reply.outcome {
        case .decision(let decision):
            .decision(WireMapping.decision(decision, servedBy: reply.servedBy.rawValue))
        case .status(let metrics):
            .status(
                WireStatus(tenant: tenant, servedBy: reply.servedBy.rawValue, results: metrics.map(WireMapping.result))
            )
        case .failure(let error):
            .error(code: error.code.rawValue, message: error.message)
        case .limits, .done:
            .error(code: QuotaError.Code.internalError.rawValue, message: "internal error")
        }
    }

    private static func error(_ error: any Error) -> WireResponse.Body {
        if let error = error as? QuotaError { return .error(code: error.code.rawValue, message: error.message) }
        return .error(code: QuotaError.Code.internalError.rawValue, message: "internal error")
    }

    private func operation(_ request: WireRequest) throws -> ClusterOperation {
        let tenant = try TenantID(request.tenant)
        switch request.operation {
        case .status: return .status(tenant)
        case .consume: return .consume(try self.usage(request, tenant))
        case .check: return .check(try self.usage(request, tenant, allowZeroAmounts: true))
        case .release: return .release(try self.usage(request, tenant))
        }
    }

    private func usage(
        _ request: WireRequest,
        _ tenant: TenantID,
        allowZeroAmounts: Bool = false
    ) throws -> UsageRequest {
        try UsageRequest(
            tenant: tenant,
            items: try request.items.mapElements { item in
                UsageRequest.Item(metric: try MetricCode(item.metric), amount: item.amount)
            },
            idempotencyKey: try request.idempotencyKey.map(IdempotencyKey.init),
            metadata: try request.metadata.map(Metadata.canonicalText(ofJSON:)),
            allowZeroAmounts: allowZeroAmounts
        )
    }
}

/// Domain values as binary-protocol values.
enum WireMapping {
    static func decision(_ decision: Decision, servedBy: String) -> WireDecision {
        WireDecision(
            allowed: decision.allowed,
            replayed: decision.replayed,
            tenant: decision.tenant,
            servedBy: servedBy,
            eventID: decision.eventID,
            retryAfterMs: decision.retryAfterMilliseconds,
            results: decision.results.map { item in
                WireItemResult(
                    metric: item.metric,
                    allowed: item.allowed,
                    enforcement: self.enforcement(item.enforcement),
                    usage: item.usage,
                    limit: item.limit,
                    remaining: item.remaining,
                    exceeded: item.exceeded,
                    overage: item.overage,
                    periodStartMs: item.periodStart.millisecondsSinceEpoch,
                    periodEndMs: item.periodEnd.millisecondsSinceEpoch
                )
            }
        )
    }

    static func result(_ status: MetricStatus) -> WireItemResult {
        WireItemResult(
            metric: status.metric.rawValue,
            allowed: status.enforcement != .hard || !status.exceeded,
            enforcement: self.enforcement(status.enforcement),
            usage: status.usage,
            limit: status.limit,
            remaining: status.remaining,
            exceeded: status.exceeded,
            overage: status.limit.map { max(0, status.usage - $0) } ?? 0,
            periodStartMs: status.period.start.millisecondsSinceEpoch,
            periodEndMs: status.period.end.millisecondsSinceEpoch
        )
    }

    static func enforcement(_ enforcement: Enforcement) -> WireEnforcement {
        switch enforcement {
        case .hard: .hard
        case .soft: .soft
        case .none: .none
        }
    }
}

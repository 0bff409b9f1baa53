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
        let body: WireResponse.Body
        do {
            body = try self.answer(request)
        } catch let error as QuotaError {
            body = .error(code: error.code.rawValue, message: error.message)
        } catch {
            body = .error(code: QuotaError.Code.internalError.rawValue, message: "internal error")
        }
        respond(WireResponse(requestID: request.requestID, body: body))
    }

    private func answer(_ request: WireRequest) throws -> WireResponse.Body {
        let tenant = try TenantID(request.tenant)
        let servedBy = self.engine.nodeID
        switch request.operation {
        case .status:
            let results = self.engine.status(of: tenant).map(WireMapping.result)
            return .status(WireStatus(tenant: tenant.rawValue, servedBy: servedBy, results: results))
        case .consume:
            let decision = try self.engine.consume(try self.usage(request, tenant))
            return .decision(WireMapping.decision(decision, servedBy: servedBy))
        case .check:
            let decision = try self.engine.check(try self.usage(request, tenant, allowZeroAmounts: true))
            return .decision(WireMapping.decision(decision, servedBy: servedBy))
        case .release:
            let decision = try self.engine.release(try self.usage(request, tenant))
            return .decision(WireMapping.decision(decision, servedBy: servedBy))
        }
    }

    private func usage(
        _ request: WireRequest,
        _ tenant: TenantID,
        allowZeroAmounts: Bool = false
    ) throws -> UsageRequest {
        try UsageRequest(
            tenant: tenant,
            items: try request.items.map { try UsageRequest.Item(metric: MetricCode($0.metric), amount: $0.amount) },
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

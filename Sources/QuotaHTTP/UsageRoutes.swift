import HTTPTypes
import Hummingbird
import QuotaCluster
import QuotaCore
import QuotaNode

/// `POST /v1/tenants/{tenant}/consume|check|release` and `GET /v1/tenants/{tenant}/status`.
struct UsageRoutes<Context: RequestContext> {
    let engine: QuotaEngine

    func add(to group: RouterGroup<Context>) {
        group.post("consume") { request, context in
            try await self.usage(request, context, tenant: try self.tenant(context), operation: .consume)
        }
        group.post("check") { request, context in
            try await self.usage(request, context, tenant: try self.tenant(context), operation: .check)
        }
        group.post("release") { request, context in
            try await self.usage(request, context, tenant: try self.tenant(context), operation: .release)
        }
        group.get("status") { _, context in
            try await self.status(tenant: try self.tenant(context))
        }
    }

    enum Operation { case consume, check, release }

    func tenant(_ context: Context) throws -> TenantID {
        try TenantID(APIResponse.parameter("tenant", of: context))
    }

    /// Runs a consume, check or release; a hard denial answers 429 with the same decision body.
    func usage(_ request: Request, _ context: Context, tenant: TenantID, operation: Operation) async throws -> Response
    {
        let body = try BodyDecoder.decode(UsageBody.self, from: try await APIResponse.body(of: request))
        let usage = try body.usageRequest(tenant: tenant, allowZeroAmounts: operation == .check)
        let reply: ClusterReply
        switch operation {
        case .consume: reply = await self.engine.execute(.consume(usage))
        case .check: reply = await self.engine.execute(.check(usage))
        case .release: reply = await self.engine.execute(.release(usage))
        }
        let decision = try reply.decision()
        let headers = RateLimitHeaders.fields(for: decision, now: self.engine.clock())
        let status: HTTPResponse.Status = decision.allowed || operation == .check ? .ok : .tooManyRequests
        return APIResponse.json(
            JSONBody.decision(decision, servedBy: reply.servedBy.rawValue),
            status: status,
            headers: headers
        )
    }

    func status(tenant: TenantID) async throws -> Response {
        let reply = await self.engine.execute(.status(tenant))
        return APIResponse.json(
            JSONBody.status(tenant: tenant, metrics: try reply.metrics(), servedBy: reply.servedBy.rawValue)
        )
    }
}

import Hummingbird
import QuotaCore
import QuotaJSON
import QuotaNode

/// `PUT|DELETE /v1/tenants/{tenant}/limits/{metric}` and `GET /v1/tenants/{tenant}/limits`.
struct LimitRoutes<Context: RequestContext> {
    let engine: QuotaEngine

    func add(to group: RouterGroup<Context>) {
        group.get("limits") { _, context in
            let tenant = try TenantID(APIResponse.parameter("tenant", of: context))
            return APIResponse.json(
                .object([
                    "tenant": .string(tenant.rawValue),
                    "limits": .array(try await self.engine.limits(of: tenant).map(JSONBody.limit)),
                ])
            )
        }
        group.put("limits/:metric") { request, context in
            let (tenant, metric) = try self.key(context)
            let body = try BodyDecoder.decode(LimitBody.self, from: try await APIResponse.body(of: request))
            let limit = try body.limit(tenant: tenant, metric: metric)
            try await self.engine.setLimit(limit)
            return APIResponse.json(JSONBody.limit(limit))
        }
        group.delete("limits/:metric") { _, context in
            let (tenant, metric) = try self.key(context)
            try await self.engine.removeLimit(tenant: tenant, metric: metric)
            return Response(status: .noContent)
        }
    }

    private func key(_ context: Context) throws -> (TenantID, MetricCode) {
        (
            try TenantID(APIResponse.parameter("tenant", of: context)),
            try MetricCode(APIResponse.parameter("metric", of: context))
        )
    }
}

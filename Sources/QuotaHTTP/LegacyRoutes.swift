import HTTPTypes
import Hummingbird
import QuotaCore
import QuotaNode

/// The two routes of the original quota module, kept for existing callers: `GET /api/quota/status/` and
/// `POST /api/quota/check/`, which take the tenant from the `X-Tenant-ID` header and otherwise behave
/// as `GET /v1/tenants/{tenant}/status` and `POST /v1/tenants/{tenant}/check`.
struct LegacyRoutes<Context: RequestContext> {
    static var tenantHeader: HTTPField.Name { HTTPField.Name("X-Tenant-ID")! }

    let usage: UsageRoutes<Context>

    func add(to router: Router<Context>) {
        router.get("api/quota/status/") { request, _ in
            try await self.usage.status(tenant: try self.tenant(request))
        }
        router.post("api/quota/check/") { request, context in
            try await self.usage.usage(request, context, tenant: try self.tenant(request), operation: .check)
        }
    }

    private func tenant(_ request: Request) throws -> TenantID {
        guard let value = request.headers[Self.tenantHeader] else {
            throw QuotaError.invalidArgument("the X-Tenant-ID header is required")
        }
        return try TenantID(value)
    }
}

import Hummingbird
import QuotaCore
import QuotaNode

/// `GET /v1/tenants/{tenant}/events` (filters `metric`, `from`, `to`; cursor pagination; `limit` ≤ 1000)
/// and `GET /v1/tenants/{tenant}/records` (filter `metric`; `limit` ≤ 1000).
struct AuditRoutes<Context: RequestContext> {
    let engine: QuotaEngine

    func add(to group: RouterGroup<Context>) {
        group.get("events") { request, context in
            let tenant = try TenantID(APIResponse.parameter("tenant", of: context))
            let query = request.uri.queryParameters
            let eventQuery = try EventQuery(
                tenant: tenant,
                metric: try query.get("metric").map { try MetricCode(String($0)) },
                from: try query.get("from").map { try RFC3339.parse(String($0)) },
                to: try query.get("to").map { try RFC3339.parse(String($0)) },
                afterSequence: try query.get("cursor").map { try self.cursor(String($0)) },
                limit: try query.get("limit").map { try self.integer(String($0), name: "limit") } ?? 100
            )
            let page = try await self.engine.events(eventQuery)
            return APIResponse.json(JSONBody.events(tenant: tenant, page: page))
        }
        group.get("records") { request, context in
            let tenant = try TenantID(APIResponse.parameter("tenant", of: context))
            let query = request.uri.queryParameters
            let recordQuery = try RecordQuery(
                tenant: tenant,
                metric: try query.get("metric").map { try MetricCode(String($0)) },
                limit: try query.get("limit").map { try self.integer(String($0), name: "limit") } ?? 100
            )
            let records = try await self.engine.records(recordQuery)
            return APIResponse.json(JSONBody.records(tenant: tenant, records: records))
        }
    }

    private func integer(_ text: String, name: String) throws -> Int {
        guard let value = Int(text) else {
            throw QuotaError.invalidArgument("'\(name)' must be an integer, got '\(text)'")
        }
        return value
    }

    private func cursor(_ text: String) throws -> Int64 {
        guard let value = Int64(text), value >= 0 else {
            throw QuotaError.invalidArgument("'cursor' is not a valid cursor")
        }
        return value
    }
}

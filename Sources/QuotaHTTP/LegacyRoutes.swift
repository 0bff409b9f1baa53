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

    /// The tenant named by the request's one `X-Tenant-ID` header, read from its bytes: a value that is not valid
    /// UTF-8 is refused rather than repaired (a repaired value would name another tenant), and so is a second header,
    /// which HTTP would join to the first with a comma. SwiftNIO's HTTP/1.1 parser has already replaced invalid bytes
    /// with U+FFFD by the time a live server's handler runs, so a value holding U+FFFD (the replacement character)
    /// is refused as the same decoding error.
    ///
    /// - Throws: ``QuotaCore/QuotaError/Code/invalidArgument`` when the header is missing, given more than once, not
    ///   valid UTF-8 or holding U+FFFD, or not a valid tenant id.
    private func tenant(_ request: Request) throws -> TenantID {
        let fields = request.headers[fields: Self.tenantHeader]
        guard let field = fields.first else { throw QuotaError.invalidArgument("the X-Tenant-ID header is required") }
        guard fields.count == 1 else {
            throw QuotaError.invalidArgument("the X-Tenant-ID header is given \(fields.count) times; give it once")
        }
        guard let value = field.withUnsafeBytesOfValue({ String(validating: $0, as: UTF8.self) }),
            !value.unicodeScalars.contains("\u{FFFD}")
        else {
            throw QuotaError.invalidArgument(
                "the X-Tenant-ID header is not valid UTF-8 (U+FFFD, the replacement character, counts as invalid)"
            )
        }
        return try TenantID(value)
    }
}

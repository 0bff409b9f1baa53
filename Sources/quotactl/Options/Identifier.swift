import ArgumentParser
import QuotaCore

/// Client-side checks on tenant and metric ids — the node's own rules (`TenantID`, `MetricCode`: 1 to 128
/// bytes of UTF-8 without control characters) — so that an id the node would refuse fails before any request.
/// Anything else, spaces and `/` included, is allowed and percent-encoded in the request path.
enum Identifier {
    enum Role {
        case tenant, metric
    }

    /// Throws a `ValidationError` with the node's explanation when `id` is not a valid id for `role`.
    static func validate(_ id: String, as role: Role) throws {
        do {
            switch role {
            case .tenant: _ = try TenantID(id)
            case .metric: _ = try MetricCode(id)
            }
        } catch let error as QuotaError {
            throw ValidationError(error.message)
        }
    }
}

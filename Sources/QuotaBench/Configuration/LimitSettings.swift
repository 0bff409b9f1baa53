/// The hard limits of the bench's tenants: set before the run (binary, HTTP) or passed with each request (RESP).
public struct LimitSettings: Hashable, Sendable {
    /// The limit of an exhausted tenant, per period: small enough that such a tenant is soon denied.
    public static let exhaustedLimit: Int64 = 10

    /// The limit of every other tenant, per period, in units of the metric.
    public var limit: Int64
    /// The fraction (0…1) of tenants that get ``exhaustedLimit`` instead.
    public var exhaustFraction: Double
    /// The period the limits apply to.
    public var period: LimitPeriod

    /// Creates the settings.
    public init(limit: Int64, exhaustFraction: Double, period: LimitPeriod) {
        self.limit = limit
        self.exhaustFraction = exhaustFraction
        self.period = period
    }
}

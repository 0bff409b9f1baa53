/// The answer to status: the tenant's current usage of every metric.
public struct WireStatus: Hashable, Sendable {
    /// The tenant; at most 65 535 bytes of UTF-8.
    public var tenant: String
    /// The id of the node that answered; at most 65 535 bytes of UTF-8.
    public var servedBy: String
    /// One result per metric, at most 65 535.
    public var results: [WireItemResult]

    /// Creates a status.
    public init(tenant: String, servedBy: String, results: [WireItemResult]) {
        self.tenant = tenant
        self.servedBy = servedBy
        self.results = results
    }
}

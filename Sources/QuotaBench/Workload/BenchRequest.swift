/// One request of the workload, before it is put into a protocol.
public struct BenchRequest: Hashable, Sendable {
    /// What to do.
    public var operation: BenchOperation
    /// The tenant's name.
    public var tenant: String
    /// The tenant's hard limit per period (RESP passes it to its script; quotad already knows it).
    public var limit: Int64

    /// Creates a request.
    public init(operation: BenchOperation, tenant: String, limit: Int64) {
        self.operation = operation
        self.tenant = tenant
        self.limit = limit
    }
}

/// One metric and amount of a request.
public struct WireItem: Hashable, Sendable {
    /// The metric code, for example `api_calls`; at most 65 535 bytes of UTF-8.
    public var metric: String
    /// The amount to consume, check or release, in the metric's unit. Any `Int64` travels;
    /// the node decides which values it accepts.
    public var amount: Int64

    /// Creates an item.
    public init(metric: String, amount: Int64) {
        self.metric = metric
        self.amount = amount
    }
}

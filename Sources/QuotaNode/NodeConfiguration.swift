import QuotaCluster
import QuotaCore

/// Settings of a quota node's runtime.
public struct NodeConfiguration: Sendable {
    /// This node's id, used in usage event ids and `served_by`. Default `n1`.
    public var nodeID: String
    /// The domain settings (unknown metrics, idempotency retention, unflushed bound).
    public var ledger: LedgerConfiguration
    /// How often the write-behind flusher writes to storage. Default 100 ms.
    public var flushInterval: Duration
    /// Pending entries that wake the flusher before the interval ends, so that batches stay near this size.
    /// Default 10,000.
    public var flushBatchEntries: Int

    /// Creates a configuration; every parameter has the default described on its property.
    ///
    /// - Throws: ``QuotaError/Code/invalidArgument`` when `nodeID` is not a valid `NodeID`
    ///   (1…64 bytes of letters, digits, `-`, `_`, `.`), the interval is not positive, or the batch is empty.
    public init(
        nodeID: String = "n1",
        ledger: LedgerConfiguration = LedgerConfiguration(),
        flushInterval: Duration = .milliseconds(100),
        flushBatchEntries: Int = 10_000
    ) throws {
        _ = try NodeID(nodeID)
        guard flushInterval > .zero else { throw QuotaError.invalidArgument("flush interval must be positive") }
        guard flushBatchEntries > 0 else { throw QuotaError.invalidArgument("flush batch size must be positive") }
        self.nodeID = nodeID
        self.ledger = ledger
        self.flushInterval = flushInterval
        self.flushBatchEntries = flushBatchEntries
    }
}

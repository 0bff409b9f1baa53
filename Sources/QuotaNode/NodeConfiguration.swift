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
    /// - Throws: ``QuotaError/Code/invalidArgument`` when `nodeID` is not a valid identifier
    ///   (1…64 bytes of letters, digits, `-`, `_`, `.`), the interval is not positive, or the batch is empty.
    public init(
        nodeID: String = "n1",
        ledger: LedgerConfiguration = LedgerConfiguration(),
        flushInterval: Duration = .milliseconds(100),
        flushBatchEntries: Int = 10_000
    ) throws {
        let allowed = nodeID.utf8.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
        guard !nodeID.isEmpty, nodeID.utf8.count <= 64, allowed else {
            throw QuotaError.invalidArgument(
                "node id '\(nodeID)' must be 1…64 characters of letters, digits, '-', '_' or '.'"
            )
        }
        guard flushInterval > .zero else { throw QuotaError.invalidArgument("flush interval must be positive") }
        guard flushBatchEntries > 0 else { throw QuotaError.invalidArgument("flush batch size must be positive") }
        self.nodeID = nodeID
        self.ledger = ledger
        self.flushInterval = flushInterval
        self.flushBatchEntries = flushBatchEntries
    }
}

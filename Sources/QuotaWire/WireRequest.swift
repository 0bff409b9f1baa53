import QuotaCore

/// A request frame: consume, check, release or status, for one tenant.
///
/// The wire carries values as they are; validating tenants, metrics, amounts and metadata is the
/// node's job. See docs/wire-protocol.md for the byte layout.
public struct WireRequest: Hashable, Sendable {
    /// The id the client chose; the response echoes it. `0` is reserved for connection-level errors.
    public var requestID: UInt64
    /// What to do.
    public var operation: WireOperation
    /// The tenant; at most 65 535 bytes of UTF-8.
    public var tenant: String
    /// The metrics and amounts, at most 65 535; empty for ``WireOperation/status``.
    public var items: SmallArray<WireItem>
    /// The client-chosen id of the usage event, at most 65 535 bytes of UTF-8; `nil` for none.
    /// An empty key travels as none and so decodes as `nil`.
    public var idempotencyKey: String?
    /// Metadata as JSON bytes, passed through uninterpreted; `nil` for none. Empty metadata travels
    /// as none and so decodes as `nil`.
    public var metadata: [UInt8]?

    /// Creates a request.
    public init(
        requestID: UInt64,
        operation: WireOperation,
        tenant: String,
        items: SmallArray<WireItem>,
        idempotencyKey: String? = nil,
        metadata: [UInt8]? = nil
    ) {
        self.requestID = requestID
        self.operation = operation
        self.tenant = tenant
        self.items = items
        self.idempotencyKey = idempotencyKey
        self.metadata = metadata
    }
}

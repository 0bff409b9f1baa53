/// What a frame carries, as the kind byte of its header.
///
/// Requests use `0x01`–`0x7F`, responses `0x80`–`0xFF`. A value, once assigned, is never reused for
/// another meaning. Not every request kind is an operation: ``peer`` carries a message between cluster
/// members and is never answered.
public enum WireFrameKind: UInt8, Hashable, Sendable, CaseIterable {
    /// A consume request (a ``WireRequest`` with ``WireOperation/consume``).
    case consume = 0x01
    /// A check request: the consume decision as a dry run.
    case check = 0x02
    /// A release request: usage given back.
    case release = 0x03
    /// A status request: the tenant's current usage of every metric.
    case status = 0x04
    /// A message from one cluster member to another: an opaque body (the cluster encodes it), request id 0,
    /// never answered. Only members send it; see docs/wire-protocol.md.
    case peer = 0x30
    /// A decision response (``WireDecision``), the answer to consume, check and release.
    case decision = 0x81
    /// A status response (``WireStatus``).
    case statusResponse = 0x82
    /// An error response: a code and a message.
    case error = 0xEE

    /// The operation of a request kind, or `nil` for a response kind and for ``peer``, which is not an operation.
    public var operation: WireOperation? { WireOperation(rawValue: self.rawValue) }
}

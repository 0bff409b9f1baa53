/// The operation a ``WireRequest`` asks for; its raw value is the request's frame kind byte.
public enum WireOperation: UInt8, Hashable, Sendable, CaseIterable {
    /// Apply usage with enforcement.
    case consume = 0x01
    /// The same decision as ``consume`` without applying anything.
    case check = 0x02
    /// Give usage back (for gauges such as `storage_bytes`).
    case release = 0x03
    /// Report the tenant's current usage; carries no items.
    case status = 0x04

    /// The frame kind that carries this operation.
    public var kind: WireFrameKind {
        switch self {
        case .consume: .consume
        case .check: .check
        case .release: .release
        case .status: .status
        }
    }
}

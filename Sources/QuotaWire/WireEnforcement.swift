/// How a limit is enforced, as one byte on the wire.
public enum WireEnforcement: UInt8, Hashable, Sendable, CaseIterable {
    /// Usage is tracked only.
    case none = 0
    /// Usage over the limit is allowed, reported and flagged.
    case soft = 1
    /// Usage that would exceed the limit is denied.
    case hard = 2
}

import NIOCore

/// Takes the peer frames (kind `peer`, `0x30`) a ``WireServer`` reads: the messages other cluster members
/// send, for example with a ``PeerLink``.
public protocol PeerFrameHandler: Sendable {
    /// Takes the peer messages of one read from a connection (at least one); nothing is answered.
    ///
    /// Called on the event loop of the connection the frames came in on, so it must not block; hand slow work
    /// elsewhere. The frames of one connection are handed over in the order they arrived; those of different
    /// connections may come at the same time, on different threads.
    ///
    /// - Parameter bodies: The frames' bodies in arrival order, uninterpreted: exactly the bytes the sender passed
    ///   to ``PeerLink/send(_:)``. They may be kept beyond the call.
    func received(_ bodies: [ByteBuffer])
}

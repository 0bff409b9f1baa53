import NIOCore

/// One whole frame as the ``WireFrameDecoder`` yields it: a checked header and exactly
/// ``WireFrameHeader/bodyLength`` body bytes, not yet interpreted.
///
/// Turn it into a message with ``WireCodec/decodeRequest(_:)`` or ``WireCodec/decodeResponse(_:)``.
public struct WireFrame: Hashable, Sendable {
    /// The frame's header.
    public var header: WireFrameHeader
    /// The body bytes (a slice of the received bytes, not a copy).
    public var body: ByteBuffer

    /// Creates a frame from a header and its body.
    public init(header: WireFrameHeader, body: ByteBuffer) {
        self.header = header
        self.body = body
    }
}

import NIOCore

/// Cuts a byte stream into ``WireFrame``s; use it in a pipeline as `ByteToMessageHandler(WireFrameDecoder())`,
/// or directly (no channel needed) for tests and fuzzing.
///
/// It never crashes on any input and never buffers more than one header and one body of at most
/// ``maximumBodyBytes`` (``maximumPeerBodyBytes`` for a ``WireFrameKind/peer`` frame): the body length is
/// checked against the maximum of the header's kind as soon as the header is read, before any body byte is
/// awaited. It checks the header only; bodies are decoded by ``WireCodec``. After it throws, the stream is
/// out of step and the connection should be closed.
public struct WireFrameDecoder: NIOSingleStepByteToMessageDecoder {
    /// What the decoder yields: one whole frame.
    public typealias InboundOut = WireFrame

    /// The maximum body size a decoder accepts unless told otherwise: 65 536 bytes.
    public static let defaultMaximumBodyBytes: UInt32 = 65_536

    /// The maximum body size of a ``WireFrameKind/peer`` frame a decoder accepts unless told otherwise:
    /// 67 108 864 bytes (64 MiB), room for a shard snapshot sent from one member to another.
    public static let defaultMaximumPeerBodyBytes: UInt32 = 67_108_864

    /// The largest body, in bytes, this decoder accepts in a frame of any kind but ``WireFrameKind/peer``.
    public let maximumBodyBytes: UInt32

    /// The largest body, in bytes, this decoder accepts in a ``WireFrameKind/peer`` frame.
    public let maximumPeerBodyBytes: UInt32

    /// Creates a decoder.
    ///
    /// - Parameters:
    ///   - maximumBodyBytes: The largest body accepted in a frame of any kind but ``WireFrameKind/peer``, in bytes.
    ///   - maximumPeerBodyBytes: The largest body accepted in a ``WireFrameKind/peer`` frame, in bytes. A receiver
    ///     that takes no peer frames should pass `maximumBodyBytes` here, so that it never buffers more for a
    ///     frame it will refuse.
    public init(
        maximumBodyBytes: UInt32 = WireFrameDecoder.defaultMaximumBodyBytes,
        maximumPeerBodyBytes: UInt32 = WireFrameDecoder.defaultMaximumPeerBodyBytes
    ) {
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumPeerBodyBytes = maximumPeerBodyBytes
    }

    /// Reads the next whole frame from `buffer`.
    ///
    /// - Returns: The frame, with the reader index moved past it; or `nil` when `buffer` holds only part
    ///   of a frame, with the reader index untouched.
    /// - Throws: ``WireError`` (a framing case, see ``WireError/isFramingError``) when the header is invalid
    ///   or announces a body larger than ``maximumBodyBytes`` (``maximumPeerBodyBytes`` for a peer frame).
    public mutating func decode(buffer: inout ByteBuffer) throws(WireError) -> WireFrame? {
        guard
            let header = try WireFrameHeader.peek(
                in: buffer,
                maximumBodyBytes: self.maximumBodyBytes,
                maximumPeerBodyBytes: self.maximumPeerBodyBytes
            ),
            let body = buffer.getSlice(at: buffer.readerIndex + WireFrameHeader.size, length: Int(header.bodyLength))
        else { return nil }
        buffer.moveReaderIndex(forwardBy: WireFrameHeader.size + Int(header.bodyLength))
        return WireFrame(header: header, body: body)
    }

    /// Reads the next whole frame once the stream has ended; an incomplete frame at the end is dropped.
    ///
    /// - Returns: As ``decode(buffer:)``.
    /// - Throws: As ``decode(buffer:)``.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws(WireError) -> WireFrame? {
        try self.decode(buffer: &buffer)
    }
}

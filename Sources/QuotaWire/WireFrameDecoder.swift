import NIOCore

/// Cuts a byte stream into ``WireFrame``s; use it in a pipeline as `ByteToMessageHandler(WireFrameDecoder())`,
/// or directly (no channel needed) for tests and fuzzing.
///
/// It never crashes on any input and never buffers more than one header and one body of at most
/// ``maximumBodyBytes``: the body length is checked against the maximum as soon as the header is read,
/// before any body byte is awaited. It checks the header only; bodies are decoded by ``WireCodec``.
/// After it throws, the stream is out of step and the connection should be closed.
public struct WireFrameDecoder: NIOSingleStepByteToMessageDecoder {
    /// What the decoder yields: one whole frame.
    public typealias InboundOut = WireFrame

    /// The maximum body size a decoder accepts unless told otherwise: 65 536 bytes.
    public static let defaultMaximumBodyBytes: UInt32 = 65_536

    /// The largest body, in bytes, this decoder accepts.
    public let maximumBodyBytes: UInt32

    /// Creates a decoder that accepts bodies of at most `maximumBodyBytes` bytes.
    public init(maximumBodyBytes: UInt32 = WireFrameDecoder.defaultMaximumBodyBytes) {
        self.maximumBodyBytes = maximumBodyBytes
    }

    /// Reads the next whole frame from `buffer`.
    ///
    /// - Returns: The frame, with the reader index moved past it; or `nil` when `buffer` holds only part
    ///   of a frame, with the reader index untouched.
    /// - Throws: ``WireError`` (a framing case, see ``WireError/isFramingError``) when the header is invalid
    ///   or announces a body larger than ``maximumBodyBytes``.
    public mutating func decode(buffer: inout ByteBuffer) throws(WireError) -> WireFrame? {
        guard let header = try WireFrameHeader.peek(in: buffer, maximumBodyBytes: self.maximumBodyBytes),
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

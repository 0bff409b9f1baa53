import NIOCore

/// Encodes messages into frames and decodes frame bodies into messages, without I/O.
///
/// Encoding appends a whole frame (header and body) to a buffer. Decoding takes a ``WireFrame`` that
/// ``WireFrameDecoder`` cut from the stream. The layouts are in docs/wire-protocol.md.
public enum WireCodec {
    /// Appends a header and the body `writeBody` writes, then fills in the body length.
    /// On failure the buffer is left as it was.
    static func writeFrame(
        kind: WireFrameKind,
        requestID: UInt64,
        into buffer: inout ByteBuffer,
        body writeBody: (inout ByteBuffer) throws(WireError) -> Void
    ) throws(WireError) {
        let start = buffer.writerIndex
        WireFrameHeader(kind: kind, requestID: requestID, bodyLength: 0).write(into: &buffer)
        do {
            try writeBody(&buffer)
        } catch {
            buffer.moveWriterIndex(to: start)
            throw error
        }
        let bodyLength = buffer.writerIndex - start - WireFrameHeader.size
        guard bodyLength <= UInt32.max else {
            buffer.moveWriterIndex(to: start)
            throw .malformedBody("body is \(bodyLength) bytes; at most \(UInt32.max) fit")
        }
        buffer.setInteger(UInt32(bodyLength), at: start + WireFrameHeader.size - 4)
    }
}

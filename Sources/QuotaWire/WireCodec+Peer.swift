import NIOCore

extension WireCodec {
    /// Appends one ``WireFrameKind/peer`` frame carrying `body` to `buffer`: request id 0, flags 0, then the
    /// body's readable bytes as they are.
    ///
    /// The body is opaque to this module (the cluster encodes its messages itself). A receiver refuses a body
    /// over its ``WireFrameDecoder/maximumPeerBodyBytes`` (64 MiB by default) by closing the connection.
    ///
    /// - Parameters:
    ///   - body: The message; its readable bytes are copied, its reader index is not moved.
    ///   - buffer: Receives the 18-byte header and the body.
    /// - Throws: ``WireError/malformedBody(_:)`` when the body is longer than a `u32` length can say
    ///   (4 GiB − 1 bytes). `buffer` is then unchanged.
    public static func encodePeerFrame(body: ByteBuffer, into buffer: inout ByteBuffer) throws(WireError) {
        try self.encodePeerFrame(into: &buffer) { (frameBody: inout ByteBuffer) in frameBody.writeImmutableBuffer(body)
        }
    }

    /// Appends one ``WireFrameKind/peer`` frame to `buffer` whose body `writeBody` appends in place: request id 0,
    /// flags 0, then whatever `writeBody` writes.
    ///
    /// - Throws: What `writeBody` throws; ``WireError/malformedBody(_:)`` when the body is longer than a `u32`
    ///   length can say. `buffer` is then unchanged.
    public static func encodePeerFrame(
        into buffer: inout ByteBuffer,
        body writeBody: (inout ByteBuffer) throws(WireError) -> Void
    ) throws(WireError) {
        try self.writeFrame(kind: .peer, requestID: 0, into: &buffer, body: writeBody)
    }

    /// The body of a ``WireFrameKind/peer`` frame.
    ///
    /// - Returns: The body bytes, uninterpreted (a slice of the frame's body, not a copy).
    /// - Throws: ``WireError/malformedBody(_:)`` when the frame is not of kind ``WireFrameKind/peer`` or its
    ///   request id is not 0.
    public static func decodePeerFrame(_ frame: WireFrame) throws(WireError) -> ByteBuffer {
        guard frame.header.kind == .peer else {
            throw .malformedBody("a \(frame.header.kind) frame is not a peer frame")
        }
        guard frame.header.requestID == 0 else {
            throw .malformedBody("a peer frame carries request id 0, got \(frame.header.requestID)")
        }
        return frame.body
    }
}

import QuotaWire

/// Why a ``WireServer`` or ``WireClient`` operation failed.
public enum WireTransportError: Error, Hashable, Sendable {
    /// ``WireServer/start(host:port:)`` was called on a server that was already started.
    case serverAlreadyStarted
    /// The server was closed before or while ``WireServer/start(host:port:)`` ran.
    case serverClosed
    /// The connection was closed (by ``WireClient/close()``, by the peer, or by a network failure)
    /// before the response arrived.
    case connectionClosed
    /// The peer sent a connection-level error frame (request id 0) and closed the connection,
    /// for example `payload_too_large` for a frame over its maximum, or `bad_frame`.
    case connectionRejected(code: String, message: String)
    /// The request id is 0, which is reserved for connection-level errors, or is already outstanding
    /// on this connection.
    case invalidRequestID(UInt64)
    /// The request cannot be encoded, for example a string is longer than 65 535 bytes.
    case unencodableRequest(WireError)
    /// The response to this request arrived but its body could not be decoded.
    case malformedResponse(WireError)
}

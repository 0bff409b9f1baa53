/// Why a RESP command got no reply.
enum RESPConnectionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The connection closed before the reply arrived.
    case connectionClosed
    /// The server sent bytes that are not RESP2, or the connection failed; carries the reason.
    case protocolError(String)
    /// The server sent a reply with no command outstanding.
    case unexpectedReply

    var description: String {
        switch self {
        case .connectionClosed: "the connection closed before the reply"
        case .protocolError(let reason): "RESP protocol error: \(reason)"
        case .unexpectedReply: "a reply arrived with no command outstanding"
        }
    }
}

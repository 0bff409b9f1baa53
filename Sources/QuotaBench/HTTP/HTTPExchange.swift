import NIOCore
import NIOHTTP1

/// One request of the bench's HTTP client: method, path and an optional JSON body.
struct HTTPExchangeRequest: Sendable {
    var method: HTTPMethod
    /// The origin-form target, already percent-encoded, for example `/v1/tenants/bench-7/consume`.
    var path: String
    var body: ByteBuffer?
}

/// A complete HTTP response: its status and body.
struct HTTPExchangeResponse: Sendable {
    var status: HTTPResponseStatus
    var body: ByteBuffer
}

/// Why an HTTP request got no complete response.
enum HTTPConnectionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The connection closed before the response was complete.
    case connectionClosed
    /// The response was not valid HTTP/1.1, or the connection failed; carries the reason.
    case protocolError(String)
    /// A response arrived with no request outstanding.
    case unexpectedResponse
    /// A response body was larger than the client accepts; carries the maximum in bytes.
    case responseTooLarge(maximum: Int)

    var description: String {
        switch self {
        case .connectionClosed: "the connection closed before the response"
        case .protocolError(let reason): "HTTP protocol error: \(reason)"
        case .unexpectedResponse: "a response arrived with no request outstanding"
        case .responseTooLarge(let maximum): "a response body was larger than \(maximum) bytes"
        }
    }
}

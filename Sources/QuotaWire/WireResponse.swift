/// A response frame.
public struct WireResponse: Hashable, Sendable {
    /// What a response carries.
    public enum Body: Hashable, Sendable {
        /// A decision, kind ``WireFrameKind/decision``.
        case decision(WireDecision)
        /// A status, kind ``WireFrameKind/statusResponse``.
        case status(WireStatus)
        /// A failure, kind ``WireFrameKind/error``: a stable code (see ``WireErrorCode``) and a message
        /// for humans, each at most 65 535 bytes of UTF-8.
        case error(code: String, message: String)

        /// The frame kind that carries this body.
        public var kind: WireFrameKind {
            switch self {
            case .decision: .decision
            case .status: .statusResponse
            case .error: .error
            }
        }
    }

    /// The id of the request this answers, or `0` for an error about the connection as a whole.
    public var requestID: UInt64
    /// The content.
    public var body: Body

    /// Creates a response.
    public init(requestID: UInt64, body: Body) {
        self.requestID = requestID
        self.body = body
    }
}

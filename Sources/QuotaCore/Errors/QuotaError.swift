/// The error every quota operation throws for input it refuses or a state that prevents it.
///
/// A thrown ``QuotaError`` always means *nothing was changed*. The ``code`` is stable and is what
/// the HTTP and binary APIs expose (`{"error": {"code": …, "message": …}}`); the message is for humans.
public struct QuotaError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, machine-readable error code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code as it appears on the wire, for example `invalid_argument`.
        public let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// The request is malformed or a value is out of range (HTTP 400).
        public static let invalidArgument = Code("invalid_argument")
        /// The metric has no limit and the node is configured to refuse unknown metrics (HTTP 404).
        public static let quotaNotFound = Code("quota_not_found")
        /// A body, metadata object or frame is larger than allowed (HTTP 413).
        public static let payloadTooLarge = Code("payload_too_large")
        /// An idempotency key was reused with a different request (HTTP 409).
        public static let idempotencyConflict = Code("idempotency_conflict")
        /// The node cannot take the request now, for example because unflushed state reached its bound (HTTP 503).
        public static let unavailable = Code("unavailable")
        /// An unexpected failure inside the node (HTTP 500).
        public static let internalError = Code("internal")

        public var description: String { self.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// A human-readable explanation naming the offending field or value.
    public let message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Shorthand for an ``Code/invalidArgument`` error.
    public static func invalidArgument(_ message: String) -> QuotaError { QuotaError(.invalidArgument, message) }

    public var description: String { "\(self.code): \(self.message)" }
}

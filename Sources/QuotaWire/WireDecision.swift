/// The answer to consume, check and release.
public struct WireDecision: Hashable, Sendable {
    /// Whether the request as a whole was admitted.
    public var allowed: Bool
    /// Whether this is the stored answer to an earlier request with the same idempotency key.
    public var replayed: Bool
    /// The tenant; at most 65 535 bytes of UTF-8.
    public var tenant: String
    /// The id of the node that decided; at most 65 535 bytes of UTF-8.
    public var servedBy: String
    /// The id of the usage event that was recorded; `nil` for none (an empty id travels as none).
    public var eventID: String?
    /// How long to wait before retrying a denied request, in milliseconds, at least 0; `nil` for no advice.
    public var retryAfterMs: Int64?
    /// One result per item of the request, at most 65 535.
    public var results: [WireItemResult]

    /// Creates a decision.
    public init(
        allowed: Bool,
        replayed: Bool,
        tenant: String,
        servedBy: String,
        eventID: String?,
        retryAfterMs: Int64?,
        results: [WireItemResult]
    ) {
        self.allowed = allowed
        self.replayed = replayed
        self.tenant = tenant
        self.servedBy = servedBy
        self.eventID = eventID
        self.retryAfterMs = retryAfterMs
        self.results = results
    }
}

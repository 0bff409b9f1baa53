import QuotaWire

/// Answers the requests a ``WireServer`` receives.
public protocol WireRequestHandler: Sendable {
    /// Handles one request.
    ///
    /// Called on the event loop of the connection the request came in on, so it must not block; hand slow
    /// work elsewhere and answer later. Requests of one connection are handed over in the order they arrived,
    /// but may be answered in any order.
    ///
    /// - Parameters:
    ///   - request: The decoded request.
    ///   - respond: Call it exactly once, from any thread, now or later, with the answer. The server sends the
    ///     answer with `request.requestID`, whatever id the response carries. If the connection has closed
    ///     meanwhile, the answer is dropped.
    func handle(_ request: WireRequest, respond: @escaping @Sendable (WireResponse) -> Void)
}

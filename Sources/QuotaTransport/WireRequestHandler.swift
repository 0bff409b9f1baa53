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

    /// Handles the requests of one read from a connection, in the order they arrived.
    ///
    /// Called like ``handle(_:respond:)``. The default hands each request to ``handle(_:respond:)``; a handler
    /// that can serve several requests for the price of one (under one lock, say) implements it.
    ///
    /// - Parameters:
    ///   - requests: The decoded requests; never empty.
    ///   - respond: Call it exactly once per request, from any thread, now or later, in any order, with a
    ///     response that carries the request's `requestID`. If the connection has closed meanwhile, the answer is
    ///     dropped.
    func handle(_ requests: [WireRequest], respond: @escaping @Sendable (WireResponse) -> Void)
}

extension WireRequestHandler {
    /// Hands each request to ``handle(_:respond:)-(WireRequest,_)``, answering with the request's id.
    public func handle(_ requests: [WireRequest], respond: @escaping @Sendable (WireResponse) -> Void) {
        for request in requests {
            let requestID = request.requestID
            self.handle(request) { response in respond(WireResponse(requestID: requestID, body: response.body)) }
        }
    }
}

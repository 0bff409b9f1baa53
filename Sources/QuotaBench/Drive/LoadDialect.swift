import NIOCore

/// How a ``LoadDriver`` speaks to its target: writes requests from pre-encoded bytes and reads answers straight
/// from the received bytes, without building protocol messages.
protocol LoadDialect {
    /// Whether answers come in the order the requests were sent (RESP) rather than naming their request's tag
    /// (QuotaWire's request id).
    static var answersInOrder: Bool { get }

    /// Why requests still outstanding when the connection closes got no answer.
    static var connectionClosedReason: String { get }

    /// Appends one request to `buffer`.
    ///
    /// - Parameters:
    ///   - operation: What to ask; never ``BenchOperation/status`` in RESP (the configuration refuses it).
    ///   - tenant: The tenant's index in the run's ``TenantTable``.
    ///   - tag: Non-zero and different from every tag outstanding on the connection; carried as the request id
    ///     where the protocol has one.
    ///   - now: The time of the read burst or timer that sends the request (RESP derives the period from it).
    mutating func write(
        _ operation: BenchOperation,
        tenant: Int,
        tag: UInt64,
        now: ContinuousClock.Instant,
        into buffer: inout ByteBuffer
    )

    /// Reads the next whole answer from the front of `buffer`.
    ///
    /// - Returns: The answer, or `nil` (having consumed nothing) when its bytes have not all arrived.
    /// - Throws: ``LoadStreamError`` when the bytes cannot be read as answers; the connection must close.
    mutating func nextAnswer(from buffer: inout ByteBuffer) throws(LoadStreamError) -> LoadAnswer?
}

/// One answer read by a ``LoadDialect``.
enum LoadAnswer: Hashable {
    /// The answer to the request with `tag` (ignored where answers come in order) and how that request ended;
    /// ``RequestOutcome/transportFailed(_:)`` when the answer is unreadable, which retires the request's slot.
    case answered(tag: UInt64, RequestOutcome)
    /// The server refused the whole connection; carries the reason given to every request still outstanding.
    case rejected(String)
}

/// Bytes from the target that cannot be read as answers; carries the reason given to the requests outstanding.
struct LoadStreamError: Error, Hashable {
    var reason: String
}

/// The permission a lane gets to send one request.
struct Ticket: Sendable {
    /// When the request is due (open loop), from which its latency counts; `nil` to send at once (closed loop)
    /// and count latency from the actual send.
    var scheduled: ContinuousClock.Instant?
    /// Whether the request falls in the recorded part of the run (after the warmup).
    var recorded: Bool
}

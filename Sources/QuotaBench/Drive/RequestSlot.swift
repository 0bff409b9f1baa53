/// One of the places for an outstanding request on a connection (there are `--pipeline` of them).
struct RequestSlot {
    /// The tag of the request in the slot; 0 when the slot is free.
    var tag: UInt64 = 0
    /// When the request was sent (closed loop, stamped at the flush) or due (open loop).
    var origin: ContinuousClock.Instant
    /// Whether the request falls in the recorded part of the run.
    var recorded = false
}

import NIOCore

/// Drives the load of one connection from inside its channel pipeline, on the connection's event loop.
///
/// It keeps up to `--pipeline` requests outstanding. On each answer it records the latency and the outcome in its
/// own ``RunStatistics`` (no lock: only this event loop touches them), draws the next request from its own
/// SplitMix64 stream and writes it; everything written during a read burst goes out with one flush, in
/// `channelReadComplete`. In a closed loop a request's latency counts from that flush; in an open loop, from the
/// time the timetable gave it, and a timer wakes the driver for requests that fall due while it is idle.
///
/// It stops sending at the end of the plan, when the connection goes, or when the server rejects the connection,
/// and hands its statistics over once nothing is outstanding or the connection is closed (requests still
/// outstanding then count as errors).
final class LoadDriver<Dialect: LoadDialect>: ChannelInboundHandler, NIOScheduledCallbackHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Request tags hold the slot in their low bits (`--pipeline` is at most 1024) and a sequence number above.
    static var slotBits: UInt64 { 10 }

    private var dialect: Dialect
    private var workload: WorkloadGenerator
    private let connectionIndex: Int
    private var statistics = RunStatistics()
    private var slots: [RequestSlot]
    private var freeSlots: [Int]
    /// The slots of outstanding requests in the order sent, for dialects whose answers come in that order.
    private var sentOrder: CircularBuffer<Int>
    /// Slots written since the last flush, whose send time the flush stamps (closed loop).
    private var unstamped: [Int]
    private var outstanding = 0
    private var sequence: UInt64 = 0
    private var output = ByteBuffer()
    /// Received bytes that do not yet make a whole answer; `nil` when none are left over.
    private var leftover: ByteBuffer?
    private var plan: LoadPlan?
    private var finished: EventLoopPromise<RunStatistics>?
    private var context: ChannelHandlerContext?
    private var sending = false
    private var closed = false
    /// Why requests get no answer once the connection fails or is rejected.
    private var failure: String?
    /// Open loop: this connection's next request in the timetable.
    private var nextIndex = 0
    private var timerArmed = false

    /// Creates the driver of connection `connectionIndex` (from 0), with `pipeline` slots.
    init(dialect: Dialect, workload: WorkloadGenerator, connectionIndex: Int, pipeline: Int) {
        precondition(pipeline >= 1 && pipeline <= 1 << Self.slotBits, "the pipeline must be 1 to 1024")
        self.dialect = dialect
        self.workload = workload
        self.connectionIndex = connectionIndex
        self.slots = Array(repeating: RequestSlot(origin: .now), count: pipeline)
        self.freeSlots = Array((0..<pipeline).reversed())
        self.sentOrder = CircularBuffer(initialCapacity: pipeline)
        self.unstamped = []
        self.unstamped.reserveCapacity(pipeline)
    }

    /// Starts the load: fills the pipeline (closed loop) or sends what is due (open loop).
    ///
    /// - Parameters:
    ///   - plan: The run's bounds.
    ///   - finished: Succeeds with this connection's statistics once the driver is done.
    func start(plan: LoadPlan, finished: EventLoopPromise<RunStatistics>) {
        self.plan = plan
        self.finished = finished
        self.nextIndex = self.connectionIndex
        self.sending = !self.closed
        self.sendAndFlush(now: .now)
        self.finishIfDone()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = Self.unwrapInboundIn(data)
        let now = ContinuousClock.now
        if var pending = self.leftover {
            self.leftover = nil
            pending.writeBuffer(&buffer)
            buffer = pending
        }
        do {
            while !self.closed, let answer = try self.dialect.nextAnswer(from: &buffer) {
                self.settle(answer, now: now)
            }
        } catch {
            self.fail(context, reason: error.reason)
            return
        }
        self.leftover = buffer.readableBytes > 0 ? buffer : nil
        if self.plan?.timetable != nil { self.sendDue(now: now) }
        self.finishIfDone()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.flush()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail(context, reason: "\(error)")
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closed = true
        self.sending = false
        let reason = self.failure ?? Dialect.connectionClosedReason
        let now = ContinuousClock.now
        for index in self.slots.indices where self.slots[index].tag != 0 {
            if self.slots[index].recorded {
                self.statistics.record(.transportFailed(reason), origin: self.slots[index].origin, completion: now)
            }
            self.slots[index].tag = 0
        }
        self.outstanding = 0
        self.finishIfDone()
        context.fireChannelInactive()
    }

    /// The open loop's timer: sends what has fallen due.
    func handleScheduledCallback(eventLoop: some EventLoop) {
        self.timerArmed = false
        self.sendAndFlush(now: .now)
        self.finishIfDone()
    }

    /// Records an answer, frees its slot and, in a closed loop, sends the next request in its place.
    private func settle(_ answer: LoadAnswer, now: ContinuousClock.Instant) {
        switch answer {
        case .rejected(let reason):
            self.failure = reason
            self.sending = false
        case .answered(let tag, let outcome):
            let slot: Int
            if Dialect.answersInOrder {
                guard let oldest = self.sentOrder.popFirst() else {
                    if let context = self.context {
                        self.fail(context, reason: "a reply arrived with no command outstanding")
                    }
                    return
                }
                slot = oldest
            } else {
                slot = Int(tag & ((1 << Self.slotBits) - 1))
                // An answer to no outstanding request is ignored, as the wire client does.
                guard slot < self.slots.count, self.slots[slot].tag == tag else { return }
            }
            if self.slots[slot].recorded {
                self.statistics.record(outcome, origin: self.slots[slot].origin, completion: now)
            }
            self.slots[slot].tag = 0
            self.outstanding -= 1
            // An unreadable answer retires its slot: what failed once would fail again in a tight loop.
            guard outcome.isAnswered else { return }
            self.freeSlots.append(slot)
            if self.plan?.timetable == nil { self.sendClosedLoop(now: now) }
        }
    }

    /// Sends what the load shape allows now, then flushes.
    private func sendAndFlush(now: ContinuousClock.Instant) {
        if self.plan?.timetable == nil {
            while self.sendClosedLoop(now: now) {}
        } else {
            self.sendDue(now: now)
        }
        self.flush()
    }

    /// Closed loop: sends one request if a slot is free and the run goes on.
    @discardableResult
    private func sendClosedLoop(now: ContinuousClock.Instant) -> Bool {
        guard self.sending, let plan = self.plan, !self.freeSlots.isEmpty else { return false }
        guard now < plan.end else {
            self.sending = false
            return false
        }
        let recorded = now >= plan.recordingStart
        if recorded, !plan.claimRecordedRequest() {
            self.sending = false
            return false
        }
        let slot = self.send(origin: now, recorded: recorded)
        self.unstamped.append(slot)
        return true
    }

    /// Open loop: sends every request of this connection that is due, while slots are free; arms the timer for
    /// the next one when a slot is free but the request is not due yet.
    private func sendDue(now: ContinuousClock.Instant) {
        guard self.sending, let plan = self.plan else { return }
        while !self.freeSlots.isEmpty {
            guard let due = plan.due(ofRequest: self.nextIndex) else {
                self.sending = false
                return
            }
            guard due <= now else {
                self.armTimer(for: due, now: now)
                return
            }
            self.send(origin: due, recorded: self.nextIndex >= plan.firstRecordedIndex)
            self.nextIndex += plan.connections
        }
    }

    private func armTimer(for due: ContinuousClock.Instant, now: ContinuousClock.Instant) {
        guard !self.timerArmed, let context = self.context else { return }
        let wait = due - now
        let nanoseconds = wait.components.seconds * 1_000_000_000 + wait.components.attoseconds / 1_000_000_000
        do {
            try context.eventLoop.assumeIsolated().scheduleCallback(in: .nanoseconds(nanoseconds), handler: self)
            self.timerArmed = true
        } catch {
            self.failure = "cannot schedule the next request: \(error)"
            self.sending = false
        }
    }

    /// Writes the next request of the workload into a free slot.
    @discardableResult
    private func send(origin: ContinuousClock.Instant, recorded: Bool) -> Int {
        let slot = self.freeSlots.removeLast()
        self.sequence &+= 1
        let tag = (self.sequence << Self.slotBits) | UInt64(slot)
        let (operation, tenant) = self.workload.nextDraw()
        self.dialect.write(operation, tenant: tenant, tag: tag, now: origin, into: &self.output)
        self.slots[slot] = RequestSlot(tag: tag, origin: origin, recorded: recorded)
        if Dialect.answersInOrder { self.sentOrder.append(slot) }
        self.outstanding += 1
        return slot
    }

    /// Writes and flushes what was encoded since the last flush, stamping closed-loop requests as sent now.
    private func flush() {
        guard self.output.readableBytes > 0, let context = self.context, !self.closed else { return }
        if !self.unstamped.isEmpty {
            let now = ContinuousClock.now
            for slot in self.unstamped where self.slots[slot].tag != 0 { self.slots[slot].origin = now }
            self.unstamped.removeAll(keepingCapacity: true)
        }
        context.writeAndFlush(Self.wrapOutboundOut(self.output), promise: nil)
        self.output.clear()
    }

    /// Stops the load on this connection and closes it; requests outstanding fail with `reason`.
    private func fail(_ context: ChannelHandlerContext, reason: String) {
        if self.failure == nil { self.failure = reason }
        self.sending = false
        context.close(promise: nil)
    }

    /// Hands the statistics over once nothing more will be sent or answered.
    private func finishIfDone() {
        guard let finished = self.finished, !self.sending, self.outstanding == 0 else { return }
        self.finished = nil
        finished.succeed(self.statistics)
    }
}

@available(*, unavailable)
extension LoadDriver: Sendable {}

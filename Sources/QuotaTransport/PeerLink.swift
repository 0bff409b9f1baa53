import Logging
import NIOCore
import NIOPosix
import QuotaWire
import Synchronization

/// One outbound TCP connection from this cluster member to another member's QuotaWire port, for peer frames
/// (kind `peer`): fire-and-forget messages, kept connected for as long as the link lives.
///
/// ``start()`` begins connecting. When a connection attempt fails or an open connection is lost, the link
/// waits and tries again: 50 ms after the first failure, then twice as long after each failure in a row, at
/// most 1 s (by default); the wait goes back to its start once a connection has stayed open for the longest
/// wait. ``shutdown()`` closes the connection and stops reconnecting.
///
/// ``send(_:)`` never waits and never fails: it writes one peer frame when the link is connected and drops the
/// message when it is not (the cluster protocol above retries what must arrive), or when the peer reads so
/// slowly that more than `maximumQueuedBytes` wait to be written. The frames of a burst of sends are gathered and
/// written and flushed together by one task on the link's event loop, so a burst costs one task and a few
/// system calls. Messages that arrive do so in the order
/// they were sent (sends that happen one after the other, from any threads), each once. Bytes the peer sends
/// back are discarded.
///
/// All of it is thread-safe: call any method from any thread or task. Everything the link does runs on one
/// event loop of the group, chosen at creation, where `onConnectionChange` is called too. Until ``shutdown()``
/// the link keeps itself alive (its reconnection timer and connection refer to it): shut it down when done.
public final class PeerLink: Sendable {
    /// How long a connection attempt may take before it counts as failed, unless told otherwise: 1 s.
    public static let defaultConnectTimeout = TimeAmount.seconds(1)
    /// The wait before the first reconnection attempt, unless told otherwise: 50 ms.
    public static let defaultInitialBackoff = TimeAmount.milliseconds(50)
    /// The longest wait between reconnection attempts, unless told otherwise: 1 s.
    public static let defaultMaximumBackoff = TimeAmount.seconds(1)
    /// How many bytes may wait to be written before sends are dropped, unless told otherwise:
    /// 67 108 864 (64 MiB), one peer frame of the largest size a receiver takes by default.
    public static let defaultMaximumQueuedBytes = 67_108_864

    /// The peer's address or host name.
    public let host: String
    /// The peer's QuotaWire TCP port.
    public let port: Int

    private enum Phase {
        /// Created; `start()` not called yet.
        case idle
        /// A connection attempt is under way.
        case connecting(EventLoopFuture<any Channel>)
        /// Connected; sends go to this channel.
        case connected(any Channel)
        /// Waiting to try again.
        case waiting(Scheduled<Void>)
        /// `shutdown()` was called.
        case shutDown
    }

    private struct State {
        var phase = Phase.idle
        /// How long to wait after the next failure.
        var backoff: TimeAmount
        /// When the current connection opened.
        var connectedAt = NIODeadline.uptimeNanoseconds(0)
        /// Peer frames sent and not yet handed to the connection: every send of a burst, written at once.
        var outbox = ByteBuffer()
        /// Whether a task to write `outbox` is queued on the event loop.
        var outboxWriteScheduled = false
    }

    private let eventLoop: any EventLoop
    private let connectTimeout: TimeAmount
    private let initialBackoff: TimeAmount
    private let maximumBackoff: TimeAmount
    private let maximumQueuedBytes: Int
    private let logger: Logger
    private let onConnectionChange: @Sendable (Bool) -> Void
    /// Read from any thread (by `send`); changed only on `eventLoop`.
    private let state: Mutex<State>

    /// Creates a link; it connects once ``start()`` is called.
    ///
    /// - Parameters:
    ///   - host: The peer's address or host name.
    ///   - port: The peer's QuotaWire TCP port.
    ///   - group: The event loops to use; the link runs on one of them.
    ///   - connectTimeout: How long one connection attempt may take before it counts as failed.
    ///   - initialBackoff: The wait before reconnecting after the first failure; positive.
    ///   - maximumBackoff: The longest wait between attempts; at least `initialBackoff`.
    ///   - maximumQueuedBytes: Once more bytes than this wait to be written to the connection (a peer that reads
    ///     slowly), sends are dropped until half of them have been written; positive.
    ///   - logger: Receives connections, losses and failed attempts at debug level, and the start of a run of
    ///     sends dropped for a slow peer at warning level (its end at info level). Silent unless given.
    ///   - onConnectionChange: Called with `true` when a connection opens and `false` when it closes (also by
    ///     ``shutdown()``), only on changes and in that order, on the link's event loop: it must not block.
    public init(
        host: String,
        port: Int,
        group: any EventLoopGroup,
        connectTimeout: TimeAmount = PeerLink.defaultConnectTimeout,
        initialBackoff: TimeAmount = PeerLink.defaultInitialBackoff,
        maximumBackoff: TimeAmount = PeerLink.defaultMaximumBackoff,
        maximumQueuedBytes: Int = PeerLink.defaultMaximumQueuedBytes,
        logger: Logger = Logger(label: "QuotaTransport.PeerLink", factory: { _ in SwiftLogNoOpLogHandler() }),
        onConnectionChange: @escaping @Sendable (Bool) -> Void = { _ in }
    ) {
        precondition(initialBackoff > .zero, "initialBackoff must be positive")
        precondition(maximumBackoff >= initialBackoff, "maximumBackoff must be at least initialBackoff")
        precondition(maximumQueuedBytes > 0, "maximumQueuedBytes must be positive")
        self.host = host
        self.port = port
        self.eventLoop = group.next()
        self.connectTimeout = connectTimeout
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.maximumQueuedBytes = maximumQueuedBytes
        var logger = logger
        logger[metadataKey: "peer"] = "\(host):\(port)"
        self.logger = logger
        self.onConnectionChange = onConnectionChange
        self.state = Mutex(State(backoff: initialBackoff))
    }

    /// Begins connecting, in the background; returns at once.
    ///
    /// Calling it again, or after ``shutdown()``, does nothing.
    public func start() {
        self.eventLoop.execute {
            guard self.state.withLock({ if case .idle = $0.phase { true } else { false } }) else { return }
            self.connect()
        }
    }

    /// Sends one message as a peer frame, or drops it.
    ///
    /// Returns at once: the frame joins the link's outbox, which one task on the link's event loop writes and
    /// flushes with every frame sent until it runs. The message is dropped, silently, when the link is not connected (before ``start()``, while
    /// reconnecting, after ``shutdown()``), when the connection is lost before it is written, or when more than
    /// `maximumQueuedBytes` wait to be written. A receiver refuses a body over its maximum (64 MiB by default) by
    /// closing the connection, which the link then opens again.
    ///
    /// - Parameter body: The message, sent as it is; only its readable bytes are sent.
    public func send(_ body: ByteBuffer) {
        // Only a body over 4 GiB fails, and is dropped like any message that cannot go.
        try? self.send { (frameBody: inout ByteBuffer) in frameBody.writeImmutableBuffer(body) }
    }

    /// Sends one message as a peer frame whose body `writeBody` writes straight into the outbox, or drops it,
    /// as ``send(_:)`` does: no buffer of its own and no copy per message.
    ///
    /// - Parameter writeBody: Appends the body to the buffer it is given; it runs under the link's lock, so it
    ///   must be quick and must not call the link. When it throws, the message is dropped, and the error is
    ///   rethrown.
    /// - Throws: What `writeBody` throws; ``QuotaWire/WireError/malformedBody(_:)`` for a body over 4 GiB − 1
    ///   bytes.
    public func send(writingBody writeBody: (inout ByteBuffer) throws(WireError) -> Void) throws(WireError) {
        let scheduleWrite = try self.state.withLock { state throws(WireError) -> Bool in
            guard case .connected = state.phase else { return false }
            try WireCodec.encodePeerFrame(into: &state.outbox, body: writeBody)
            guard !state.outboxWriteScheduled else { return false }
            state.outboxWriteScheduled = true
            return true
        }
        // Through the task queue, even on the event loop, once per batch: the frames of every send made until
        // the task runs go out in one write, in the order they were sent.
        if scheduleWrite { self.eventLoop.execute { self.writeOutbox() } }
    }

    /// Writes the frames waiting in the outbox to the link's connection. The outbox only ever holds frames sent
    /// while the current connection was open: a connection that closes takes its unwritten frames with it.
    private func writeOutbox() {
        let pending = self.state.withLock { state -> (channel: any Channel, frames: ByteBuffer)? in
            state.outboxWriteScheduled = false
            guard case .connected(let channel) = state.phase, state.outbox.readableBytes > 0 else { return nil }
            let frames = state.outbox
            // The next burst is likely as large: start there rather than growing (and copying) from nothing.
            state.outbox = ByteBufferAllocator().buffer(capacity: frames.readableBytes)
            return (channel, frames)
        }
        guard let pending else { return }
        pending.channel.writeAndFlush(pending.frames, promise: nil)
    }

    /// Closes the connection, if open, and stops reconnecting; returns once the connection is closed and
    /// `onConnectionChange` has been told.
    ///
    /// Calling it again, or before ``start()``, does nothing more; later sends are dropped.
    public func shutdown() async {
        let closed = self.eventLoop.flatSubmit { self.shutDownOnLoop() }
        try? await closed.get()
    }

    // MARK: - On the event loop

    /// Starts one connection attempt.
    private func connect() {
        let handlerLogger = self.logger
        let maximumQueuedBytes = self.maximumQueuedBytes
        let attempt = ClientBootstrap(group: self.eventLoop)
            .connectTimeout(self.connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelOption(
                .writeBufferWaterMark,
                value: .init(low: maximumQueuedBytes / 2, high: maximumQueuedBytes)
            )
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(PeerLinkHandler(logger: handlerLogger))
                }
            }
            .connect(host: self.host, port: self.port)
        self.state.withLock { $0.phase = .connecting(attempt) }
        attempt.whenComplete { result in self.attemptFinished(result) }
    }

    private func attemptFinished(_ result: Result<any Channel, any Error>) {
        let channel: any Channel
        switch result {
        case .success(let connected):
            channel = connected
        case .failure(let error):
            self.logger.debug("could not connect to the peer", metadata: ["error": "\(error)"])
            self.retryAfterFailedAttempt()
            return
        }
        if let local = channel.localAddress, local == channel.remoteAddress {
            // TCP lets a connection to an unused local port of the ephemeral range take that same port as its
            // source port, and so connect to itself. It is no peer: count it as a failed attempt.
            self.logger.debug("the connection to the peer connected to itself; closing it")
            channel.close(promise: nil)
            self.retryAfterFailedAttempt()
            return
        }
        let accepted = self.state.withLock { state in
            guard case .connecting = state.phase else { return false }
            state.phase = .connected(channel)
            state.connectedAt = .now()
            return true
        }
        guard accepted else {
            channel.close(promise: nil)  // shut down meanwhile
            return
        }
        self.logger.debug("connected to the peer")
        self.onConnectionChange(true)
        channel.closeFuture.whenComplete { _ in self.connectionClosed(channel) }
    }

    /// Schedules the next attempt after one failed, unless the link was shut down meanwhile.
    private func retryAfterFailedAttempt() {
        self.state.withLock { state in
            guard case .connecting = state.phase else { return }
            self.scheduleRetry(&state)
        }
    }

    /// Called once the channel `attemptFinished` reported up has closed, for any reason.
    private func connectionClosed(_ channel: any Channel) {
        self.state.withLock { state in
            guard case .connected(let current) = state.phase, current === channel else { return }  // shut down
            state.outbox.clear()
            if NIODeadline.now() - state.connectedAt >= self.maximumBackoff {
                state.backoff = self.initialBackoff
            }
            self.scheduleRetry(&state)
        }
        self.logger.debug("lost the connection to the peer")
        self.onConnectionChange(false)
    }

    /// Waits the current backoff before the next attempt, and doubles the backoff for the one after.
    private func scheduleRetry(_ state: inout State) {
        let delay = state.backoff
        state.backoff = min(state.backoff * 2, self.maximumBackoff)
        // Scheduling on the event loop we are on never runs the task before this returns.
        let retry = self.eventLoop.scheduleTask(in: delay) {
            guard self.state.withLock({ if case .waiting = $0.phase { true } else { false } }) else { return }
            self.connect()
        }
        state.phase = .waiting(retry)
    }

    /// Stops everything; the future completes once no channel of this link is open.
    private func shutDownOnLoop() -> EventLoopFuture<Void> {
        let previous = self.state.withLock { state in
            defer { state.phase = .shutDown }
            return state.phase
        }
        switch previous {
        case .idle, .shutDown:
            return self.eventLoop.makeSucceededVoidFuture()
        case .waiting(let retry):
            retry.cancel()
            return self.eventLoop.makeSucceededVoidFuture()
        case .connecting(let attempt):
            // `attemptFinished` runs first and closes a channel that opened; wait until it has.
            return attempt.flatMap { channel in channel.closeFuture }.recover { _ in }
        case .connected(let channel):
            // `connectionClosed` runs first (it was registered first) and reports the link down.
            channel.close(promise: nil)
            return channel.closeFuture.recover { _ in }
        }
    }
}

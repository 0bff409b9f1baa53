import Logging
import QuotaCore
import ServiceLifecycle

/// The write-behind flusher as a long-running service: every flush interval, or sooner when a batch
/// fills, it writes the engine's pending changes to storage.
///
/// On graceful shutdown (SIGTERM, SIGINT) it runs after the listeners have stopped, and keeps draining
/// until everything is durable or `shutdownBudget` has passed (then it logs what is lost and throws).
public struct WriteBehindFlusher: Service {
    private let engine: QuotaEngine
    private let shutdownBudget: Duration

    /// Creates the flusher of `engine`.
    ///
    /// - Parameter shutdownBudget: how long the final drain may retry a failing storage. Default 30 s.
    public init(engine: QuotaEngine, shutdownBudget: Duration = .seconds(30)) {
        self.engine = engine
        self.shutdownBudget = shutdownBudget
    }

    public func run() async throws {
        let engine = self.engine
        // The trigger is fired on cancellation too, so a flusher waiting on it never hangs a cancelled group.
        await withTaskCancellationOrGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: engine.configuration.flushInterval)
                        engine.trigger.fire()
                    }
                }
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    await engine.trigger.wait()
                    await engine.writer.drain(engine, untilEmpty: false)
                }
                group.cancelAll()
            }
        } onCancelOrGracefulShutdown: {
            engine.trigger.fire()
        }
        try await self.finalDrain()
    }

    private func finalDrain() async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: self.shutdownBudget)
        while !(await self.engine.writer.drain(self.engine)) {
            guard clock.now < deadline else {
                let lost = self.engine.unflushedCount
                self.engine.logger.critical("shutting down with unflushed changes", metadata: ["unflushed": "\(lost)"])
                throw QuotaError(.unavailable, "\(lost) changes could not be written to storage before shutdown")
            }
            try? await Task.sleep(for: self.engine.configuration.flushInterval)
        }
        self.engine.logger.info("flushed all changes before shutdown")
    }
}

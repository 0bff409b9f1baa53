import Logging
import QuotaCluster
import QuotaCore
import Synchronization

/// Moves the ledger's pending changes to storage, one batch (one transaction) at a time.
///
/// Drains never overlap: a second caller waits for the running drain and then drains what is left,
/// so the ledger has at most one batch in flight.
actor WriteBehindWriter {
    private var draining = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Writes the pending changes of `engine` to its storage.
    ///
    /// - Parameter untilEmpty: `true` to go on with what was changed while a batch was being written, until nothing
    ///   is pending (an explicit flush); `false` for one batch, what is pending now (the flusher's wake-ups: under a
    ///   steady load, batches would otherwise follow each other without pause and rewrite the same pages many
    ///   times an interval).
    /// - Returns: `true` when storage took every batch, `false` when it failed (the failed batch is pending again
    ///   and will be retried).
    @discardableResult
    func drain(_ engine: QuotaEngine, untilEmpty: Bool = true) async -> Bool {
        while self.draining { await withCheckedContinuation { self.waiters.append($0) } }
        self.draining = true
        defer {
            self.draining = false
            if !self.waiters.isEmpty { self.waiters.removeFirst().resume() }
        }
        while let batch = engine.state.withLock({ $0.node.takeFlushBatch() }) {
            do {
                try await engine.store.persist(batch)
                engine.state.withLock { $0.node.flushSucceeded() }
                self.recordSuccess(engine)
            } catch {
                engine.state.withLock { $0.node.flushFailed() }
                self.recordFailure(error, engine)
                return false
            }
            if !untilEmpty { break }
        }
        return true
    }

    private func recordSuccess(_ engine: QuotaEngine) {
        let recovered = engine.consecutiveFlushFailures.withLock { failures -> Int in
            defer { failures = 0 }
            return failures
        }
        if recovered > 0 {
            engine.logger.notice("storage writes recovered", metadata: ["failed_attempts": "\(recovered)"])
        }
    }

    private func recordFailure(_ error: any Error, _ engine: QuotaEngine) {
        let failures = engine.consecutiveFlushFailures.withLock { failures -> Int in
            failures += 1
            return failures
        }
        // The first failure and then one in 50, so a long outage does not flood the log.
        if failures == 1 || failures % 50 == 0 {
            engine.logger.error(
                "storage write failed; serving from memory and retrying",
                metadata: [
                    "error": "\(error)", "consecutive_failures": "\(failures)",
                    "unflushed": "\(engine.unflushedCount)",
                ]
            )
        }
    }
}

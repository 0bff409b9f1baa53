import Logging
import QuotaCore
import Synchronization

/// Moves the ledger's pending changes to storage, one batch (one transaction) at a time.
///
/// Drains never overlap: a second caller waits for the running drain and then drains what is left,
/// so the ledger has at most one batch in flight.
actor WriteBehindWriter {
    private unowned let engine: QuotaEngine
    private var draining = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(engine: QuotaEngine) {
        self.engine = engine
    }

    /// Writes every pending change to storage.
    ///
    /// - Returns: `true` when nothing is left pending, `false` when storage failed (the failed batch is
    ///   pending again and will be retried).
    @discardableResult
    func drain() async -> Bool {
        while self.draining { await withCheckedContinuation { self.waiters.append($0) } }
        self.draining = true
        defer {
            self.draining = false
            if !self.waiters.isEmpty { self.waiters.removeFirst().resume() }
        }
        while let batch = self.engine.ledger.withLock({ $0.takeFlushBatch() }) {
            do {
                try await self.engine.store.persist(batch)
                self.engine.ledger.withLock { $0.flushSucceeded() }
                self.recordSuccess()
            } catch {
                self.engine.ledger.withLock { $0.flushFailed() }
                self.recordFailure(error)
                return false
            }
        }
        return true
    }

    private func recordSuccess() {
        let recovered = self.engine.health.withLock { health -> Int in
            defer { health = StorageHealth() }
            return health.consecutiveFailures
        }
        if recovered > 0 {
            self.engine.logger.notice("storage writes recovered", metadata: ["failed_attempts": "\(recovered)"])
        }
    }

    private func recordFailure(_ error: any Error) {
        let failures = self.engine.health.withLock { health -> Int in
            health.lastFlushFailed = true
            health.consecutiveFailures += 1
            return health.consecutiveFailures
        }
        // The first failure and then one in 50, so a long outage does not flood the log.
        if failures == 1 || failures % 50 == 0 {
            self.engine.logger.error(
                "storage write failed; serving from memory and retrying",
                metadata: [
                    "error": "\(error)", "consecutive_failures": "\(failures)",
                    "unflushed": "\(self.engine.unflushedCount)",
                ]
            )
        }
    }
}

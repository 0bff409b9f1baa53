import QuotaWire
import Synchronization

/// Answers to one connection's requests that were produced on another thread than the connection's event
/// loop, gathered so that one task on the loop writes a whole burst of them (one task and one wake-up of the
/// loop per burst, not per answer).
final class WireAnswerInbox: Sendable {
    private struct Pending {
        var answers: [WireResponse] = []
        var drainScheduled = false
    }

    private let pending = Mutex(Pending())

    /// Adds an answer; returns `true` when no drain is scheduled yet, and the caller must schedule one that calls
    /// ``take()`` on the connection's event loop.
    func add(_ response: WireResponse) -> Bool {
        self.pending.withLock { pending in
            pending.answers.append(response)
            defer { pending.drainScheduled = true }
            return !pending.drainScheduled
        }
    }

    /// The answers added since the last call, in the order they were added; the next ``add(_:)`` schedules a
    /// drain again.
    func take() -> [WireResponse] {
        self.pending.withLock { pending in
            pending.drainScheduled = false
            defer { pending.answers.removeAll(keepingCapacity: true) }
            return pending.answers
        }
    }
}

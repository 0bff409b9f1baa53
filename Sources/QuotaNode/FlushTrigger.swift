import Synchronization

/// Wakes the write-behind flusher: the interval timer and a full batch both fire it.
/// Fires that arrive while nobody waits are coalesced into one.
final class FlushTrigger: Sendable {
    private struct State {
        var fired = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Wakes the waiter, or the next one to wait.
    func fire() {
        let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.fired = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns once fired (at once if a fire is pending). One waiter at a time.
    func wait() async {
        await withCheckedContinuation { continuation in
            let ready = self.state.withLock { state -> Bool in
                precondition(state.waiter == nil, "only the flusher waits on its trigger")
                if state.fired {
                    state.fired = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

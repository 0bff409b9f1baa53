import Synchronization

/// The listeners as they bind. Once every one is bound, and not before, it prints their `listening` lines (in the
/// order given) and calls `allBound`: a node that cannot bind one of its listeners announces nothing, and its peers
/// never hear from it.
final class ListenerStartup: Sendable {
    private let listeners: [Listener]
    /// The port each listener bound, by its index in `listeners`.
    private let boundPorts: Mutex<[Int?]>
    private let allBound: @Sendable () -> Void

    /// Waits for `listeners`; `allBound` runs once, after the last one is bound and the lines are printed.
    init(listeners: [Listener], allBound: @escaping @Sendable () -> Void) {
        self.listeners = listeners
        self.boundPorts = Mutex(Array(repeating: nil, count: listeners.count))
        self.allBound = allBound
    }

    /// Records that the listener of `kind` is bound on `port`.
    func bound(_ kind: Listener.Kind, port: Int) {
        let complete: [Int]? = self.boundPorts.withLock { ports in
            for index in self.listeners.indices where self.listeners[index].kind == kind { ports[index] = port }
            let bound = ports.compactMap { $0 }
            return bound.count == ports.count ? bound : nil
        }
        guard let complete else { return }
        for (listener, port) in zip(self.listeners, complete) { Announcer.announce(listener.announcement(port: port)) }
        self.allBound()
    }

    /// Whether the listener of `kind` is bound.
    func isBound(_ kind: Listener.Kind) -> Bool {
        self.boundPorts.withLock { ports in
            self.listeners.indices.contains { self.listeners[$0].kind == kind && ports[$0] != nil }
        }
    }
}

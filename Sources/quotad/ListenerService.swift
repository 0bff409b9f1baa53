import NIOCore
import ServiceLifecycle

/// Runs a listener's service (the HTTP application or the binary-protocol service) and turns its failure to
/// listen — NIO's `bind` or host-resolution error, which names neither the listener nor the setting — into a
/// ``ListenerFailure``.
struct ListenerService<Inner: Service>: Service {
    let listener: Listener
    let startup: ListenerStartup
    let inner: Inner

    func run() async throws {
        do {
            try await self.inner.run()
        } catch let error as IOError where !self.startup.isBound(self.listener.kind) {
            throw ListenerFailure(self.listener, errno: error.errnoCode)
        } catch let error as SocketAddressError.UnknownHost where !self.startup.isBound(self.listener.kind) {
            throw ListenerFailure(self.listener, unknownHost: error.errorDescription)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A listener could not start. The message names the listener, the address, the setting to change (as the
/// operator wrote it: flag, `QUOTAD_*` variable or default) and the system's reason.
struct ListenerFailure: Error, CustomStringConvertible {
    let description: String

    /// The failure of `listener`'s `bind`, with the `errno` it set.
    init(_ listener: Listener, errno code: CInt) {
        let reason = Self.sentence(String(cString: strerror(code)))
        let prefix = "cannot listen: \(listener.title) on \(listener.address)"
        switch code {
        case EADDRINUSE:
            self.description = "\(prefix) (\(listener.port.origin)): \(reason); is another quotad running?"
        case EADDRNOTAVAIL:
            self.description = "\(prefix) (\(listener.host.origin)): \(reason); is it an address of this machine?"
        default:
            self.description = "\(prefix) (\(listener.host.origin), \(listener.port.origin)): \(reason)"
        }
    }

    /// `listener`'s host could not be resolved; `reason` is the resolver's.
    init(_ listener: Listener, unknownHost reason: String) {
        self.description =
            "cannot listen: \(listener.title) on \(listener.address) (\(listener.host.origin)): the host cannot be "
            + "resolved (\(Self.sentence(reason)))"
    }

    /// `text` with a lower-case first letter, to follow a colon: `Address already in use` → `address already in use`.
    private static func sentence(_ text: String) -> String { text.prefix(1).lowercased() + text.dropFirst() }
}

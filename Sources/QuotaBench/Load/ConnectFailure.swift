import Foundation
import NIOCore
import NIOPosix

/// Short reasons for connection failures, for ``BenchError/connectFailed(address:reason:)``.
enum ConnectFailure {
    /// The reason `error` gives, without NIO's wrapping: for example `Connection refused`.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? NIOConnectionError else { return self.describe(error) }
        if let dnsError = error.dnsAError ?? error.dnsAAAAError { return "cannot resolve the host: \(dnsError)" }
        let reasons = error.connectionErrors.map { "\($0.target): \(self.describe($0.error))" }
        return reasons.isEmpty ? "no address to connect to" : reasons.joined(separator: "; ")
    }

    /// The system's message for an `IOError` (`strerror`), or the error's own description.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? IOError else { return "\(error)" }
        return String(cString: strerror(error.errnoCode))
    }
}

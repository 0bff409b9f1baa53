import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Short, human-readable descriptions of socket-level errors for messages such as "connection refused".
enum SystemError {
    /// Describes `error` by its `errno` text when it is an `IOError`, otherwise by its own description.
    static func describe(_ error: any Error) -> String {
        guard let ioError = error as? IOError else { return String(describing: error) }
        guard let text = strerror(ioError.errnoCode) else { return "errno \(ioError.errnoCode)" }
        return String(cString: text).lowercased()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock (`flock(2)`) on `quotad.lock` in a node's data directory, held for the life of the
/// process: a second quotad on the same directory would recover the same state, admit against its own copy of the
/// counters (breaking hard limits) and overwrite the first one's writes.
///
/// The kernel releases the lock when the process exits, however it exits, so a `kill -9` leaves nothing to clean up.
final class DataDirectoryLock {
    private let descriptor: Int32

    /// Takes the lock on the directory `directory` names.
    ///
    /// - Throws: ``DataDirectoryInUse`` when another process holds it, or when the lock file cannot be opened.
    init(directory: Setting<String>) throws {
        let name = directory.value
        let path = name.hasSuffix("/") ? name + "quotad.lock" : name + "/quotad.lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw DataDirectoryInUse(directory: directory, reason: "cannot open \(path): \(Self.describe(errno))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let error = errno
            close(descriptor)
            let reason =
                error == EWOULDBLOCK
                ? "another quotad is running on it (it holds \(path))" : "cannot lock \(path): \(Self.describe(error))"
            throw DataDirectoryInUse(directory: directory, reason: reason)
        }
        self.descriptor = descriptor
    }

    deinit { close(self.descriptor) }

    private static func describe(_ error: Int32) -> String { String(cString: strerror(error)) }
}

/// The data directory could not be created, or locked for this process: names the directory and what set it
/// (`--data-dir` or `QUOTAD_DATA_DIR`).
struct DataDirectoryInUse: Error, CustomStringConvertible {
    let directory: Setting<String>
    let reason: String

    var description: String { "data directory \(self.directory.value) (\(self.directory.name)): \(self.reason)" }
}

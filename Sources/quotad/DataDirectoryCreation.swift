import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates a node's data directory and its missing parents (`mkdir -p`), with the system's reason when it cannot:
/// Foundation's error for the same failure names neither the path nor the cause on Linux.
enum DataDirectoryCreation {
    /// Creates the directory `setting` names and its missing parents, mode 0755; an existing directory is fine.
    ///
    /// - Throws: ``DataDirectoryInUse`` naming the component that could not be created and why (`strerror`), or
    ///   the path when it exists and is not a directory.
    static func create(_ setting: Setting<String>) throws {
        let path = setting.value
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0, errno != EEXIST {
                let reason = String(cString: strerror(errno))
                throw DataDirectoryInUse(directory: setting, reason: "cannot create \(current): \(reason)")
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataDirectoryInUse(directory: setting, reason: "\(path) is not a directory")
        }
    }
}

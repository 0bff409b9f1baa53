import Foundation

/// The process's resident memory as Linux reports it.
enum ResidentMemory {
    /// Resident bytes: the second field of `/proc/self/statm` (in pages) times the page size.
    static func residentBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else {
            fatalError("/proc/self/statm cannot be read")
        }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { fatalError("/proc/self/statm is malformed") }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

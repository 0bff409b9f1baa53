import QuotaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real-time clock of the runtime shell (the domain core never reads a clock itself).
public enum SystemClock {
    /// The current UTC time from `clock_gettime(CLOCK_REALTIME)`, in milliseconds.
    @Sendable
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(millisecondsSinceEpoch: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    /// A monotonic clock in milliseconds (`CLOCK_MONOTONIC`), for leases, suspicion and deadlines.
    @Sendable
    public static func monotonicMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

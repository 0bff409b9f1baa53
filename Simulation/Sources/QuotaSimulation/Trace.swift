import QuotaCore

/// The run's trace: one line per state change, hashed as it is written (FNV-1a 64 over each line's UTF-8 bytes
/// and a newline), the last lines kept for a violation report, and every line handed to an optional sink
/// (`--trace FILE`).
///
/// The same seed gives the same lines byte for byte, so the same hash: the determinism check compares hashes.
public struct Trace: Sendable {
    private var hasher = FNV1a64()
    private var recent: [String]
    private var next = 0
    private let keep: Int
    /// Lines written so far.
    public private(set) var count = 0
    /// Receives every line when set.
    public var sink: (@Sendable (String) -> Void)?

    /// Creates a trace that keeps the last `keep` lines.
    public init(keep: Int, sink: (@Sendable (String) -> Void)? = nil) {
        self.keep = max(1, keep)
        self.recent = []
        self.recent.reserveCapacity(self.keep)
        self.sink = sink
    }

    /// The hash of every line so far.
    public var hash: UInt64 { self.hasher.value }

    /// Writes a line.
    public mutating func write(_ line: String) {
        self.hasher.combine(contentsOf: line.utf8)
        self.hasher.combine(0x0A)
        self.count += 1
        if self.recent.count < self.keep {
            self.recent.append(line)
        } else {
            self.recent[self.next] = line
        }
        self.next = (self.next + 1) % self.keep
        self.sink?(line)
    }

    /// The last lines, oldest first.
    public var lastLines: [String] {
        guard self.recent.count == self.keep else { return self.recent }
        return Array(self.recent[self.next...] + self.recent[..<self.next])
    }
}

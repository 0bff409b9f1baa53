/// Small value formatters shared by the human output and error messages.
enum Format {
    /// `10s`, or `2.5s` for a fractional number of seconds.
    static func seconds(_ seconds: Double) -> String {
        if seconds.rounded() == seconds, let whole = Int64(exactly: seconds) {
            return "\(whole)s"
        }
        return "\(seconds)s"
    }

    /// The number, or `-` when there is none (a metric without a limit has no remaining allowance).
    static func optional(_ value: Int64?) -> String {
        value.map(String.init) ?? "-"
    }

    /// `yes` or `no`, for boolean table columns.
    static func yesNo(_ value: Bool) -> String {
        value ? "yes" : "no"
    }

    /// A span of milliseconds: `40ms` below a second, `1.5s` below 100 seconds, whole seconds above.
    static func milliseconds(_ milliseconds: Int64) -> String {
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        let tenths = (milliseconds + 50) / 100
        if tenths < 1000 { return "\(tenths / 10).\(tenths % 10)s" }
        return "\((milliseconds + 500) / 1000)s"
    }

    /// `1 row`, `3 rows`: a count with its noun, plural unless the count is 1.
    static func count(_ count: Int, _ noun: String) -> String {
        count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
    }
}

import ArgumentParser
import QuotaCore

/// Reads `QUOTAD_*` environment variables as the defaults of `quotad`'s flags, so that the precedence is
/// flag > environment variable > built-in default.
enum Environment {
    static func string(_ name: String) -> String? {
        guard let pointer = getenv(name) else { return nil }
        return String(cString: pointer)
    }

    /// Throws a `ValidationError` naming the variable when it is set but does not parse as `Value`.
    static func check<Value: ExpressibleByArgument>(_ name: String, as _: Value.Type) throws {
        if let text = self.string(name), Value(argument: text) == nil {
            throw ValidationError("\(name)='\(text)' is not a valid value")
        }
    }
}

/// A duration flag: `250ms`, `2s`, `5m`, `1h`, or a bare number of milliseconds.
struct DurationArgument: ExpressibleByArgument, CustomStringConvertible {
    let milliseconds: Int64

    init(milliseconds: Int64) { self.milliseconds = milliseconds }

    init?(argument: String) {
        let units: [(suffix: String, factor: Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, factor) in units where argument.hasSuffix(suffix) {
            guard let value = Int64(argument.dropLast(suffix.count)), value > 0 else { return nil }
            self.milliseconds = value * factor
            return
        }
        guard let value = Int64(argument), value > 0 else { return nil }
        self.milliseconds = value
    }

    var duration: Duration { .milliseconds(self.milliseconds) }

    var description: String {
        if self.milliseconds % 3_600_000 == 0 { return "\(self.milliseconds / 3_600_000)h" }
        if self.milliseconds % 1000 == 0 { return "\(self.milliseconds / 1000)s" }
        return "\(self.milliseconds)ms"
    }
}

extension LedgerConfiguration.UnknownMetricPolicy: ExpressibleByArgument {}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import Foundation

extension BenchReport {
    /// The report as aligned lines of text for a terminal.
    public var humanText: String {
        let settings = self.settings
        var lines: [String] = []
        var shape = "\(settings.load) loop, \(settings.connections) connections × pipeline \(settings.pipeline)"
        if let rate = settings.ratePerSecond { shape += ", \(Self.number(rate)) req/s scheduled" }
        let ports = settings.ports.dropFirst().map { ",\($0)" }.joined()
        let address = BenchConfiguration.address(host: settings.host, port: settings.port) + ports
        lines.append("target       \(settings.benchProtocol) \(address); \(shape)")
        var workload = "\(settings.tenants) tenants, \(settings.distribution)"
        if let exponent = settings.zipfS { workload += " (s=\(exponent))" }
        lines.append("workload     \(workload), seed \(settings.seed); mix \(settings.mix); \(settings.metric) × 1")
        lines.append("limits       \(Self.limits(settings))")
        var bounds = "at most \(Self.number(settings.durationLimitSeconds)) s"
        if let requests = settings.requestLimit { bounds += " or \(requests) requests" }
        lines.append("run          \(bounds), after \(Self.number(settings.warmupSeconds)) s of warmup")
        lines.append("")
        let throughput = String(format: "%.0f", self.opsPerSecond)
        let duration = String(format: "%.2f", self.durationSeconds)
        let decisions = self.allowed + self.denied
        lines.append("throughput   \(throughput) ops/s (\(decisions) decisions in \(duration) s)")
        lines.append("outcomes     allowed \(self.allowed), denied \(self.denied), errors \(self.errors)")
        lines.append(
            "latency µs   p50 \(self.p50Microseconds)  p90 \(self.p90Microseconds)  p99 \(self.p99Microseconds)"
                + "  p99.9 \(self.p999Microseconds)  max \(self.maxMicroseconds)"
        )
        for (index, message) in self.errorMessages.enumerated() {
            lines.append("\(index == 0 ? "first errors" : "            ") \(message)")
        }
        return lines.joined(separator: "\n")
    }

    /// The limits line: what the bench set, or that it set nothing.
    private static func limits(_ settings: BenchSettings) -> String {
        guard let limit = settings.limit, let period = settings.period, let exhausted = settings.exhaustedTenants,
            let exhaustedLimit = settings.exhaustedLimit
        else { return "as already set on the target (--no-setup)" }
        var text = "hard \(limit) per \(period); \(exhausted) tenants exhausted (limit \(exhaustedLimit))"
        if let port = settings.setupHTTPPort, let audit = settings.audit {
            text += "; set over HTTP port \(port), audit \(audit)"
        } else {
            text += "; passed to the script with each request"
        }
        return text
    }

    /// `5` for a whole number, `0.5` otherwise.
    private static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

import Foundation
import QuotaSimulation
import Testing

@Suite("Determinism: the same seed gives the same trace, byte for byte")
struct DeterminismTests {
    static func options(_ seed: UInt64, _ faults: FaultProfile = .chaos) -> SimulationOptions {
        var options = SimulationOptions(seed: seed)
        options.duration = 15
        options.healedDuration = 10
        options.faults = faults
        return options
    }

    @Test("a seed run twice in one process gives the same trace hash and the same figures", arguments: [3, 11])
    func inProcess(seed: UInt64) throws {
        let first = try Simulation(options: Self.options(seed)).run()
        let second = try Simulation(options: Self.options(seed)).run()
        #expect(first.traceHash == second.traceHash)
        #expect(first.traceLines == second.traceLines)
        #expect(first.operations == second.operations)
        #expect(first.statistics == second.statistics)
        #expect(first.checker == second.checker)
        #expect(first.traceLines > 1000)
    }

    @Test("the trace lines themselves are identical, and other seeds give other traces")
    func lines() throws {
        let collector = LineCollector()
        _ = try Simulation(options: Self.options(5), sink: { collector.add($0) }).run()
        let again = LineCollector()
        _ = try Simulation(options: Self.options(5), sink: { again.add($0) }).run()
        #expect(collector.lines == again.lines)
        let other = try Simulation(options: Self.options(6)).run()
        let five = try Simulation(options: Self.options(5)).run()
        #expect(other.traceHash != five.traceHash)
    }

    @Test("two quota-sim processes print the same hashes as this process computes")
    func acrossProcesses() throws {
        let arguments = ["--seed", "21", "--count", "3", "--duration", "10", "--healed", "10", "--faults", "swarm"]
        let first = try Self.runQuotaSim(arguments)
        let second = try Self.runQuotaSim(arguments)
        let traces = { (output: String) in
            output.split(separator: "\n").compactMap { line in
                line.split(separator: " ").first { $0.hasPrefix("trace=") }.map(String.init)
            }
        }
        #expect(traces(first).count == 3)
        #expect(traces(first) == traces(second))
        var expected: [String] = []
        for seed in UInt64(21)...23 {
            var options = SimulationOptions(seed: seed)
            options.duration = 10
            options.healedDuration = 10
            let hash = try Simulation(options: options).run().traceHash
            let digits = String(hash, radix: 16)
            expected.append("trace=" + String(repeating: "0", count: 16 - digits.count) + digits)
        }
        #expect(traces(first) == expected)
        #expect(first.split(separator: "\n").last?.hasPrefix("summary runs=3 violations=0 sim_seconds=") == true)
    }

    /// Runs the `quota-sim` binary built next to the test bundle and returns its standard output.
    static func runQuotaSim(_ arguments: [String]) throws -> String {
        let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let process = Process()
        process.executableURL = directory.appendingPathComponent("quota-sim")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Collects trace lines from the sink.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func add(_ line: String) { self.lock.withLock { self.stored.append(line) } }

    var lines: [String] { self.lock.withLock { self.stored } }
}

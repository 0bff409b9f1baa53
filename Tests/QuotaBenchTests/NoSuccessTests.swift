import ArgumentParser
import Foundation
import QuotaBench
import QuotaCore
import Testing

/// A run in which no request succeeds is a failed run: the report says why, and `quota-bench` exits with status 1
/// after printing it.
@Suite(.timeLimit(.minutes(1))) struct NoSuccessTests {
    /// Options for a short run of consumes over the binary protocol at `port`, whose limits are not set up: an
    /// engine that rejects metrics without a limit answers every request with `quota_not_found`.
    func arguments(port: Int) -> [String] {
        [
            "--port", "\(port)", "--no-setup", "--mix", "consume=1", "--connections", "2", "--warmup", "0",
            "--requests", "200", "--duration", "5",
        ]
    }

    @Test func aRunWithEveryRequestFailedReportsAFailure() async throws {
        try await withWireNode(listeners: 1, unknownMetrics: .reject) { _, ports in
            let configuration = try BenchConfiguration(options: try BenchOptions.parse(self.arguments(port: ports[0])))
            let report = try await BenchRunner(configuration: configuration).run()
            #expect(report.allowed + report.denied == 0)
            #expect(report.errors == report.requests && report.requests > 0)
            guard case .noRequestSucceeded(let requests, let firstError)? = report.failure else {
                Issue.record("no failure reported: \(report)")
                return
            }
            #expect(requests == report.requests)
            #expect(firstError?.hasPrefix("quota_not_found") == true, "\(String(describing: firstError))")
            #expect(report.failure?.description.contains("no request succeeded") == true)
        }
    }

    /// Failed requests are not decisions: a run whose requests all failed reports no throughput, in the text
    /// report and in the JSON alike (it used to count the failures as operations).
    @Test func aRunWithEveryRequestFailedReportsNoThroughput() async throws {
        try await withWireNode(listeners: 1, unknownMetrics: .reject) { _, ports in
            let configuration = try BenchConfiguration(options: try BenchOptions.parse(self.arguments(port: ports[0])))
            let report = try await BenchRunner(configuration: configuration).run()
            #expect(report.errors > 0 && report.allowed + report.denied == 0)
            #expect(report.durationSeconds > 0, "\(report)")
            #expect(report.opsPerSecond == 0)
            #expect(report.humanText.contains("throughput   0 ops/s (0 decisions in "), "\(report.humanText)")
            let json = try JSONDecoder().decode(Throughput.self, from: Data(report.jsonText.utf8))
            #expect(json.opsPerSecond == 0, "\(report.jsonText)")
        }
    }

    /// The throughput field of a JSON report.
    struct Throughput: Decodable {
        let opsPerSecond: Double

        enum CodingKeys: String, CodingKey {
            case opsPerSecond = "ops_per_second"
        }
    }

    @Test func aRunWithARequestAllowedReportsNoFailure() async throws {
        try await withWireNode(listeners: 1, unknownMetrics: .track) { _, ports in
            let configuration = try BenchConfiguration(options: try BenchOptions.parse(self.arguments(port: ports[0])))
            let report = try await BenchRunner(configuration: configuration).run()
            #expect(report.allowed > 0)
            #expect(report.failure == nil)
        }
    }

    @Test func quotaBenchExitsWithStatusOneAfterPrintingTheReport() async throws {
        try await withWireNode(listeners: 1, unknownMetrics: .reject) { _, ports in
            let run = try await Self.runQuotaBench(self.arguments(port: ports[0]) + ["--json"])
            #expect(run.status == 1, "\(run.errors)")
            #expect(run.output.contains("\"allowed\":0"), "\(run.output)")
            #expect(run.errors.contains("no request succeeded: all "), "\(run.errors)")
        }
    }

    /// Runs the built `quota-bench` (next to this test bundle) to its exit, without blocking a thread of the
    /// cooperative pool on it.
    static func runQuotaBench(_ arguments: [String]) async throws -> (status: Int32, output: String, errors: String) {
        let binaries = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "quota-bench-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (outputFile, errorFile) = (directory.appendingPathComponent("out"), directory.appendingPathComponent("err"))
        for file in [outputFile, errorFile] { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        let process = Process()
        process.executableURL = binaries.appendingPathComponent("quota-bench")
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return (
            process.terminationStatus, try String(contentsOf: outputFile, encoding: .utf8),
            try String(contentsOf: errorFile, encoding: .utf8)
        )
    }
}

import Foundation
import Testing

/// Runs `quotactl` against a real node: the README's tour, JSON output and exit codes.
@Suite(.timeLimit(.minutes(3))) struct QuotactlTests {
    struct Run {
        let status: Int32
        let output: String
        let errors: String
    }

    /// Runs quotactl with `arguments` against `node` (bounded: the CLI's own timeout is 10 s).
    func quotactl(_ node: QuotadProcess, _ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = QuotadProcess.binaryDirectory.appendingPathComponent("quotactl")
        process.arguments = arguments + ["--url", "http://127.0.0.1:\(node.httpPort)"]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData, as: UTF8.self))
    }

    @Test func theREADMETourDeniesTheSixthConsume() async throws {
        let node = try await QuotadProcess(dataDirectory: try QuotadProcess.makeDataDirectory())
        let set = try quotactl(node, ["limits", "set", "acme", "api_calls", "--limit", "5", "--period", "minute", "--enforcement", "hard"])
        #expect(set.status == 0, "\(set.errors)")
        for _ in 0..<5 {
            let run = try quotactl(node, ["consume", "acme", "api_calls", "1"])
            #expect(run.status == 0)
            #expect(run.output.contains("ALLOWED"))
        }
        let denied = try quotactl(node, ["consume", "acme", "api_calls", "1"])
        #expect(denied.status == 2)
        #expect(denied.output.contains("DENIED"))
        let status = try quotactl(node, ["status", "acme", "--json"])
        #expect(status.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any] ?? [:]
        #expect(usage(of: "api_calls", in: json) == 5)
        try await node.stop()
    }

    @Test func errorsExitWithStatusOneAndNameTheCode() async throws {
        let node = try await QuotadProcess(dataDirectory: try QuotadProcess.makeDataDirectory())
        let bad = try quotactl(node, ["limits", "set", "acme", "m", "--limit", "5", "--period", "fortnight", "--enforcement", "hard"])
        #expect(bad.status == 1)
        #expect(bad.errors.contains("invalid_argument"))
        let missing = try quotactl(node, ["limits", "delete", "acme", "m"])
        #expect(missing.status == 1)
        #expect(missing.errors.contains("quota_not_found"))
        try await node.stop()
    }
}

import ArgumentParser
import Foundation
import QuotaBench

/// `quota-bench`: a load generator for quotad (binary protocol or HTTP API) and, for comparison, Redis.
@main
struct QuotaBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quota-bench",
        abstract: "Load generator for quotad's binary protocol and HTTP API, and for Redis (RESP) to compare.",
        discussion: """
            Targets this machine only. See docs/quota-bench.md.

            Exit status: 0 when the run completed and at least one request was allowed or denied; 1 when the \
            setup or a connection failed, or when no request succeeded (the report is printed first); 64 for a \
            refused command line.
            """
    )

    @OptionGroup var options: BenchOptions

    func validate() throws {
        do {
            _ = try BenchConfiguration(options: self.options)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        // Writes to a socket the peer closed must fail with EPIPE, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        let configuration = try BenchConfiguration(options: self.options)
        let report = try await BenchRunner(configuration: configuration).run { line in
            try? FileHandle.standardError.write(contentsOf: Data("quota-bench: \(line)\n".utf8))
        }
        print(self.options.json ? report.jsonText : report.humanText)
        if let failure = report.failure { throw failure }
    }
}

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
        try self.quotactl(arguments + ["--url", Self.url(of: node)])
    }

    /// The base URL of `node`'s HTTP API.
    static func url(of node: QuotadProcess) -> String { "http://127.0.0.1:\(node.httpPort)" }

    /// Runs quotactl with exactly `arguments`.
    func quotactl(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = QuotadProcess.binaryDirectory.appendingPathComponent("quotactl")
        process.arguments = arguments
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
            errors: String(decoding: errorData, as: UTF8.self)
        )
    }

    /// The reset time a human-readable decision line shows (`resets=2026-…Z`).
    func reset(in output: String) -> String? {
        guard let range = output.range(of: "resets=") else { return nil }
        return String(output[range.upperBound...].prefix { !$0.isWhitespace })
    }

    @Test func theREADMETourDeniesTheSixthConsume() async throws {
        let node = try await QuotadProcess(dataDirectory: try QuotadProcess.makeDataDirectory())
        // A minute can roll over during a slow run; then the attempt is repeated with a fresh tenant.
        for attempt in 1...3 {
            let tenant = "acme-\(attempt)"
            let set = try quotactl(
                node,
                ["limits", "set", tenant, "api_calls", "--limit", "5", "--period", "minute", "--enforcement", "hard"]
            )
            #expect(set.status == 0, "\(set.errors)")
            var runs: [Run] = []
            for _ in 0..<6 { runs.append(try quotactl(node, ["consume", tenant, "api_calls", "1"])) }
            let status = try quotactl(node, ["status", tenant, "--json"])
            let json = try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any] ?? [:]
            let metric = (json["metrics"] as? [[String: Any]])?.first
            let periodEnd = try #require(metric?["period_end"] as? String)
            // All six consumes fell in the period that is still current only if its end is after the first run.
            let resets = Set(runs.compactMap { self.reset(in: $0.output) })
            guard resets == [periodEnd] || attempt == 3 else { continue }
            #expect(
                runs.prefix(5).allSatisfy { $0.status == 0 && $0.output.contains("ALLOWED") },
                "\(runs.map(\.output))"
            )
            #expect(runs[5].status == 2)
            #expect(runs[5].output.contains("DENIED"))
            #expect(usage(of: "api_calls", in: json) == 5)
            break
        }
        try await node.stop()
    }

    @Test func errorsExitWithStatusOneAndNameTheCode() async throws {
        let node = try await QuotadProcess(dataDirectory: try QuotadProcess.makeDataDirectory())
        let bad = try quotactl(
            node,
            ["limits", "set", "acme", "m", "--limit", "5", "--period", "fortnight", "--enforcement", "hard"]
        )
        #expect(bad.status == 1)
        #expect(bad.errors.contains("invalid_argument"))
        let missing = try quotactl(node, ["limits", "delete", "acme", "m"])
        #expect(missing.status == 1)
        #expect(missing.errors.contains("quota_not_found"))
        try await node.stop()
    }

    /// The JSON object quotactl printed.
    func object(_ run: Run) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
    }

    @Test func clusterStatusOfASingleNodeShowsItselfOwningEveryShard() async throws {
        let node = try await QuotadProcess(dataDirectory: try QuotadProcess.makeDataDirectory())
        let json = try quotactl(node, ["cluster", "status", "--json"])
        #expect(json.status == 0, "\(json.errors)")
        let cluster = try object(json)
        #expect(cluster["node"] as? String == "n1")
        let members = try #require(cluster["members"] as? [[String: Any]])
        #expect(members.count == 1)
        #expect(members.first?["id"] as? String == "n1")
        #expect(members.first?["state"] as? String == "self")
        let summary = try #require(cluster["summary"] as? [String: Any])
        let shardCount = try #require(summary["shards"] as? Int)
        #expect(shardCount > 0)
        #expect(summary["owned"] as? Int == shardCount)
        #expect(summary["followed"] as? Int == 0)
        #expect(summary["moving"] as? Int == 0)
        #expect(summary["owners"] as? [String: Int] == ["n1": shardCount])
        let shards = try #require(cluster["shards"] as? [[String: Any]])
        #expect(shards.count == shardCount)
        #expect(shards.allSatisfy { $0["role"] as? String == "owner" && $0["owner"] as? String == "n1" })
        let incarnation = try #require(cluster["incarnation"] as? Int)
        let epoch = try #require(summary["highest_epoch"] as? Int)

        let human = try quotactl(node, ["cluster", "status"])
        #expect(human.status == 0, "\(human.errors)")
        let lines = human.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(human.output)")
        #expect(lines.first == "ID  STATE  ADDRESS  INCARNATION  LAST HEARD  LEASE  CONNECTED")
        // A single node has no peer list, so no address; it never hears from itself and holds no lease from itself.
        let row = lines.dropFirst().first?.split(separator: " ").map(String.init)
        #expect(row == ["n1", "self", "-", "\(incarnation)", "-", "-", "yes"])
        #expect(
            lines.last
                == "node n1 (incarnation \(incarnation)): \(shardCount) shards, owns \(shardCount), follows 0, moving 0; "
                + "highest epoch \(epoch); shards per owner: n1=\(shardCount)"
        )
        try await node.stop()
    }

    @Test func clusterStatusOfAnUnreachableNodeExitsWithStatusOne() throws {
        let run = try quotactl(["cluster", "status", "--url", "http://127.0.0.1:9", "--timeout", "5"])
        #expect(run.status == 1)
        #expect(run.errors.contains("error: cannot reach quotad at http://127.0.0.1:9"), "\(run.errors)")
        #expect(run.output.isEmpty)
    }

    @Test func reconcileOfASingleNodeAfterConsumesIsConsistent() async throws {
        let node = try await QuotadProcess(dataDirectory: try QuotadProcess.makeDataDirectory())
        let aggregate = try quotactl(
            node,
            [
                "limits", "set", "acme", "bytes", "--limit", "100", "--period", "month", "--enforcement", "soft",
                "--audit", "aggregate",
            ]
        )
        #expect(aggregate.status == 0, "\(aggregate.errors)")
        for _ in 0..<3 {
            #expect(try quotactl(node, ["consume", "acme", "api_calls", "2"]).status == 0)
            #expect(try quotactl(node, ["consume", "acme", "bytes", "50"]).status == 0)
            #expect(try quotactl(node, ["consume", "globex", "seats", "1"]).status == 0)
        }
        // The consumes may straddle a minute boundary, but never a month: at least 3 rows (one per metric).
        let json = try quotactl(["reconcile", "--nodes", Self.url(of: node), "--json"])
        #expect(json.status == 0, "\(json.output) \(json.errors)")
        let report = try object(json)
        let rows = try #require(report["rows"] as? Int)
        #expect(rows >= 3)
        #expect((report["problems"] as? [Any])?.isEmpty == true)
        let nodes = try #require(report["nodes"] as? [[String: Any]])
        #expect(nodes.count == 1)
        #expect(nodes.first?["node"] as? String == "n1")
        #expect(nodes.first?["url"] as? String == Self.url(of: node))
        #expect(nodes.first?["rows"] as? Int == rows)

        // Without --nodes, --url is the one node asked.
        let human = try quotactl(node, ["reconcile"])
        #expect(human.status == 0, "\(human.errors)")
        #expect(human.output == "consistent: \(rows) rows on 1 node\n")
        let tenant = try quotactl(node, ["reconcile", "--tenant", "globex"])
        #expect(tenant.status == 0, "\(tenant.errors)")
        #expect(tenant.output == "consistent: 1 row on 1 node\n")
        try await node.stop()
    }

    @Test func reconcileRefusesBadNodeListsAndReportsUnreachableNodes() async throws {
        let node = try await QuotadProcess(dataDirectory: try QuotadProcess.makeDataDirectory())
        let url = Self.url(of: node)
        // Bad URLs are usage errors (64), like --url's, before any request is sent.
        for nodes in ["\(url),quota-2:8080", "https://quota.example.com", "\(url),", "\(url),\(url)/"] {
            let run = try quotactl(["reconcile", "--nodes", nodes])
            #expect(run.status == 64, "\(nodes): \(run.errors)")
            #expect(run.errors.contains("Usage: quotactl reconcile"), "\(run.errors)")
            #expect(run.output.isEmpty)
        }
        #expect(try quotactl(["reconcile", "--nodes", "ftp://x"]).errors.contains("is not an http:// URL"))
        #expect(try quotactl(["reconcile", "--nodes", "\(url),"]).errors.contains("--nodes has an empty entry"))
        #expect(try quotactl(["reconcile", "--nodes", "\(url),\(url)"]).errors.contains("more than once"))
        let badTenant = try quotactl(["reconcile", "--nodes", url, "--tenant", ""])
        #expect(badTenant.status == 64)

        // A node that cannot be reached is an error (1), whatever the others answer.
        let unreachable = try quotactl(["reconcile", "--nodes", "\(url),http://127.0.0.1:9"])
        #expect(unreachable.status == 1)
        #expect(
            unreachable.errors.contains("error: cannot reach quotad at http://127.0.0.1:9"),
            "\(unreachable.errors)"
        )
        // Two URLs of the same node would compare the node with itself.
        let twice = try quotactl(["reconcile", "--nodes", "\(url),http://localhost:\(node.httpPort)"])
        #expect(twice.status == 1)
        #expect(twice.errors.contains("it is node n1, as is \(url)"), "\(twice.errors)")
        try await node.stop()
    }
}

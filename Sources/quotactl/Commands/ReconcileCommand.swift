import ArgumentParser
import Foundation
import NIOHTTP1
import QuotaJSON

/// `quotactl reconcile [--nodes URL,URL…] [--tenant T]`: compares every node's stored records with its stored
/// events, and the replicas of each tenant with each other (see ``Reconciliation``).
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Check stored usage: records against events on every node, and replicas against each other.",
        discussion: """
            Reads GET /v1/admin/reconcile from every node of --nodes (or from --url alone) and reports: \
            record_vs_events, a row whose record disagrees with the sum of its events (usage lost or counted \
            twice); replicas_disagree, a period whose rows on the nodes that own or follow its tenant differ; \
            missing_replica, a period only one node owns or follows, when more than one node was asked. Give \
            every member, or periods whose other replica was not asked are reported as missing_replica.

            Exit status: 0 when consistent, 3 when problems were found, 1 on an error. With --json, prints \
            {"nodes": [{"node", "url", "rows"}], "rows": N, "problems": [{"kind", "tenant", "metric", \
            "period_start", "detail"}]}.
            """
    )

    /// The exit status when problems were found.
    static let problemsFoundExitCode = ExitCode(3)

    @Option(
        help: ArgumentHelp(
            "Comma-separated base URLs of the nodes to compare (http:// only); --url alone when not given.",
            valueName: "url,url,…"
        )
    )
    var nodes: String?

    @Option(help: "Only this tenant's rows.")
    var tenant: String?

    @OptionGroup
    var options: GlobalOptions

    func validate() throws {
        let urls = try self.nodeURLs()
        let names = urls.map(\.description)
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw ValidationError("--nodes lists \(duplicate) more than once.")
        }
        if let tenant = self.tenant {
            try Identifier.validate(tenant, as: .tenant)
        }
    }

    func run() async throws {
        let query = self.tenant.map { [(name: "tenant", value: $0)] } ?? []
        var reports: [Reconciliation.NodeReport] = []
        for url in try self.nodeURLs() {
            let client = NodeClient(node: url, timeoutSeconds: self.options.timeout)
            let response = try await client.send(.GET, ["v1", "admin", "reconcile"], query: query)
            let answer = try client.decode(Answers.Reconcile.self, from: response)
            if let earlier = reports.first(where: { $0.node == answer.node }) {
                throw QuotactlError.unexpectedResponse(
                    node: url,
                    detail: "it is node \(answer.node), as is \(earlier.url); give each member once"
                )
            }
            reports.append(Reconciliation.NodeReport(node: answer.node, url: url.description, rows: answer.rows))
        }

        let reconciliation = Reconciliation(reports: reports)
        if self.options.json {
            try Terminal.printJSON(Self.json(reconciliation))
        } else {
            Terminal.print(HumanOutput.reconciliation(reconciliation))
        }
        if !reconciliation.isConsistent {
            throw Self.problemsFoundExitCode
        }
    }

    /// `--nodes` split at commas and parsed, or `--url` alone.
    ///
    /// - Throws: `ValidationError` for an empty entry or a URL ``NodeURL`` refuses.
    private func nodeURLs() throws -> [NodeURL] {
        guard let nodes = self.nodes else { return [try NodeURL(parsing: self.options.url)] }
        return try nodes.split(separator: ",", omittingEmptySubsequences: false).map { entry in
            let text = entry.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else {
                throw ValidationError("--nodes has an empty entry in '\(nodes)' (expected URL[,URL…]).")
            }
            return try NodeURL(parsing: text)
        }
    }

    /// The `--json` output.
    static func json(_ reconciliation: Reconciliation) -> JSONValue {
        .object([
            "nodes": .array(
                reconciliation.reports.map { report in
                    .object([
                        "node": .string(report.node),
                        "url": .string(report.url),
                        "rows": .int(Int64(report.rows.count)),
                    ])
                }
            ),
            "rows": .int(Int64(reconciliation.rowCount)),
            "problems": .array(
                reconciliation.problems.map { problem in
                    .object([
                        "kind": .string(problem.kind.rawValue),
                        "tenant": .string(problem.tenant),
                        "metric": .string(problem.metric),
                        "period_start": .string(problem.periodStart),
                        "detail": .string(problem.detail),
                    ])
                }
            ),
        ])
    }
}

import ArgumentParser
import NIOHTTP1
import QuotaJSON

/// `quotactl health`: the node's liveness and readiness checks.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Show whether the node is live and ready (exit status 1 unless both pass).",
        discussion: """
            With --json, prints {"live": {"http_status": …, "body": …}, "ready": {…}}, where each body is the \
            node's JSON answer.
            """
    )

    @OptionGroup
    var options: GlobalOptions

    func run() async throws {
        let client = try self.options.makeClient()
        var results: [(check: String, status: UInt, body: JSONValue)] = []
        for check in ["live", "ready"] {
            let response = try await client.send(.GET, ["health", check], alsoAccepted: [.serviceUnavailable])
            let body = (try? client.json(of: response)) ?? .string(String(decoding: response.body, as: UTF8.self))
            results.append((check, response.status.code, body))
        }

        if self.options.json {
            let object = results.map { result in
                (result.check, JSONValue.object(["http_status": .int(Int64(result.status)), "body": result.body]))
            }
            try Terminal.printJSON(.object(Dictionary(uniqueKeysWithValues: object)))
        } else {
            let rows = try results.map { result in
                [
                    result.check, result.status == 200 ? "ok" : "failing", String(result.status),
                    try result.body.canonicalText(),
                ]
            }
            Terminal.print(Table(header: ["CHECK", "STATE", "HTTP", "BODY"], rows: rows).lines())
        }

        let failing = results.filter { $0.status != 200 }.map { "\($0.check) (HTTP \($0.status))" }
        if !failing.isEmpty {
            throw QuotactlError.unhealthy(
                node: client.node,
                detail: "fails its health check: \(failing.joined(separator: ", "))"
            )
        }
    }
}

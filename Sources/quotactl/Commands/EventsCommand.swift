import ArgumentParser
import NIOHTTP1

/// `quotactl events TENANT [--metric M] [--from T] [--to T] [--limit N] [--cursor C]`: the audit trail.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List a tenant's usage events, one page at a time.",
        discussion: "When more events match, the last line gives the --cursor that fetches the next page."
    )

    /// The largest page the node serves.
    static let maximumPageSize = 1000

    @Argument(help: "The tenant id.")
    var tenant: String

    @Option(help: "Only events of this metric.")
    var metric: String?

    @Option(help: ArgumentHelp("Only events created at or after this RFC 3339 time.", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("Only events created before this RFC 3339 time.", valueName: "time"))
    var to: String?

    @Option(help: "At most this many events (1-1000; the node's default when omitted).")
    var limit: Int?

    @Option(help: "Continue after the page that returned this cursor.")
    var cursor: String?

    @OptionGroup
    var options: GlobalOptions

    func validate() throws {
        try Identifier.validate(self.tenant, as: .tenant)
        if let metric = self.metric {
            try Identifier.validate(metric, as: .metric)
        }
        if let limit = self.limit, !(1...Self.maximumPageSize).contains(limit) {
            throw ValidationError("--limit must be 1-\(Self.maximumPageSize), got \(limit).")
        }
    }

    func run() async throws {
        let query: [(name: String, value: String)] = [
            ("metric", self.metric), ("from", self.from), ("to", self.to), ("cursor", self.cursor),
            ("limit", self.limit.map(String.init)),
        ].compactMap { item in item.1.map { (name: item.0, value: $0) } }
        let client = try self.options.makeClient()
        let response = try await client.send(.GET, ["v1", "tenants", self.tenant, "events"], query: query)
        try client.present(response, as: Answers.EventPage.self, json: self.options.json, human: HumanOutput.events)
    }
}

import ArgumentParser
import NIOHTTP1

/// `quotactl records TENANT [--metric M] [--limit N]`: the usage counters, one per metric and period.
struct RecordsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "records",
        abstract: "List a tenant's usage records: the counter of each metric in each period."
    )

    @Argument(help: "The tenant id.")
    var tenant: String

    @Option(help: "Only records of this metric.")
    var metric: String?

    @Option(help: "At most this many records, newest period first (1 to 1000; the node's default is 100).")
    var limit: Int?

    @OptionGroup
    var options: GlobalOptions

    func validate() throws {
        try Identifier.validate(self.tenant, as: .tenant)
        if let metric = self.metric {
            try Identifier.validate(metric, as: .metric)
        }
        if let limit = self.limit, !(1...1000).contains(limit) {
            throw ValidationError("--limit must be between 1 and 1000.")
        }
    }

    func run() async throws {
        var query = self.metric.map { [(name: "metric", value: $0)] } ?? []
        if let limit = self.limit { query.append((name: "limit", value: String(limit))) }
        let client = try self.options.makeClient()
        let response = try await client.send(.GET, ["v1", "tenants", self.tenant, "records"], query: query)
        try client.present(response, as: Answers.RecordList.self, json: self.options.json, human: HumanOutput.records)
    }
}

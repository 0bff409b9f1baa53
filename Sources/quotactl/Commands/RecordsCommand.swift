import ArgumentParser
import NIOHTTP1

/// `quotactl records TENANT [--metric M]`: the usage counters, one per metric and period.
struct RecordsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "records",
        abstract: "List a tenant's usage records: the counter of each metric in each period."
    )

    @Argument(help: "The tenant id.")
    var tenant: String

    @Option(help: "Only records of this metric.")
    var metric: String?

    @OptionGroup
    var options: GlobalOptions

    func validate() throws {
        try Identifier.validate(self.tenant, as: .tenant)
        if let metric = self.metric {
            try Identifier.validate(metric, as: .metric)
        }
    }

    func run() async throws {
        let query = self.metric.map { [(name: "metric", value: $0)] } ?? []
        let client = try self.options.makeClient()
        let response = try await client.send(.GET, ["v1", "tenants", self.tenant, "records"], query: query)
        if self.options.json {
            try Terminal.printJSON(client.json(of: response))
        } else {
            Terminal.print(HumanOutput.records(try client.decode(Answers.RecordList.self, from: response)))
        }
    }
}

import ArgumentParser
import NIOHTTP1

/// `quotactl status TENANT`: current usage against the limit of every metric.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a tenant's current usage, limit and period of every metric."
    )

    @Argument(help: "The tenant id.")
    var tenant: String

    @OptionGroup
    var options: GlobalOptions

    func validate() throws {
        try Identifier.validate(self.tenant, as: .tenant)
    }

    func run() async throws {
        let client = try self.options.makeClient()
        let response = try await client.send(.GET, ["v1", "tenants", self.tenant, "status"])
        try client.present(response, as: Answers.Status.self, json: self.options.json, human: HumanOutput.status)
    }
}

import ArgumentParser
import NIOHTTP1

/// What a usage command asks of the node; the raw value is the last path segment.
enum UsageAction: String {
    case consume
    case check
    case release

    /// Sends the request, prints the decision, and exits with status 2 when it is denied.
    func perform(_ request: UsageRequestOptions, options: GlobalOptions) async throws {
        let client = try options.makeClient()
        let response = try await client.send(
            .POST,
            ["v1", "tenants", request.tenant, self.rawValue],
            body: try request.body(),
            alsoAccepted: [.tooManyRequests]
        )
        let decision = try client.decode(Answers.Decision.self, from: response)
        if options.json {
            try Terminal.printJSON(client.json(of: response))
        } else {
            Terminal.print(HumanOutput.decision(decision))
        }
        if !decision.allowed {
            throw ExitCode(2)
        }
    }
}

/// `quotactl consume TENANT (METRIC AMOUNT | --item metric=amount …)`.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Apply usage, enforcing limits (exit status 2 when a hard limit denies it)."
    )

    @OptionGroup
    var request: UsageRequestOptions

    @OptionGroup
    var options: GlobalOptions

    func run() async throws {
        try await UsageAction.consume.perform(self.request, options: self.options)
    }
}

/// `quotactl check TENANT (METRIC AMOUNT | --item metric=amount …)`.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Ask for the decision a consume would get, applying nothing (exit status 2 when it would be denied)."
    )

    @OptionGroup
    var request: UsageRequestOptions

    @OptionGroup
    var options: GlobalOptions

    func run() async throws {
        try await UsageAction.check.perform(self.request, options: self.options)
    }
}

/// `quotactl release TENANT (METRIC AMOUNT | --item metric=amount …)`.
struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Give usage back, for gauges such as seats or stored bytes."
    )

    @OptionGroup
    var request: UsageRequestOptions

    @OptionGroup
    var options: GlobalOptions

    func run() async throws {
        try await UsageAction.release.perform(self.request, options: self.options)
    }
}

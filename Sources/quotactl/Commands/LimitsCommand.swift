import ArgumentParser
import NIOHTTP1
import QuotaJSON

/// `quotactl limits set|list|delete`: a tenant's limits.
struct LimitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limits",
        abstract: "Set, list and delete a tenant's limits.",
        subcommands: [SetLimitCommand.self, ListLimitsCommand.self, DeleteLimitCommand.self]
    )
}

/// How a limit is enforced.
enum Enforcement: String, CaseIterable, ExpressibleByArgument {
    /// Deny what would exceed the limit.
    case hard
    /// Allow, but report and flag the excess.
    case soft
    /// Track only.
    case none
}

/// How much of a metric's usage the node keeps as an audit trail.
enum Audit: String, CaseIterable, ExpressibleByArgument {
    /// Every usage event.
    case full
    /// Aggregated usage only.
    case aggregate
}

/// `quotactl limits set TENANT METRIC --limit N --period P --enforcement E […]`.
struct SetLimitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Create or replace the limit of one metric of a tenant."
    )

    @Argument(help: "The tenant id.")
    var tenant: String

    @Argument(help: "The metric id.")
    var metric: String

    @Option(parsing: .unconditional, help: "The allowance per period.")
    var limit: Int64

    @Option(help: "The period, for example second, minute, hour, day, month or year.")
    var period: String

    @Option(help: "hard (deny), soft (allow and flag) or none (track only).")
    var enforcement: Enforcement

    @Option(help: "The day of the month a monthly or yearly period starts on (1-31).")
    var anchorDay: Int?

    @Option(help: "The month a yearly period starts in (1-12); needs --anchor-day.")
    var anchorMonth: Int?

    @Option(help: "The IANA time zone periods are aligned in, for example Europe/Berlin.")
    var timeZone: String?

    @Option(help: "The audit trail kept: full (every usage event) or aggregate.")
    var audit: Audit?

    @OptionGroup
    var options: GlobalOptions

    func validate() throws {
        try Identifier.validate(self.tenant, as: .tenant)
        try Identifier.validate(self.metric, as: .metric)
        if self.limit < 0 {
            throw ValidationError("--limit must not be negative, got \(self.limit).")
        }
        if let day = self.anchorDay, !(1...31).contains(day) {
            throw ValidationError("--anchor-day must be 1-31, got \(day).")
        }
        if let month = self.anchorMonth, !(1...12).contains(month) {
            throw ValidationError("--anchor-month must be 1-12, got \(month).")
        }
        switch (self.period, self.anchorMonth, self.anchorDay) {
        case (_, nil, nil), ("month", nil, _?), ("year", _?, _?):
            break
        case ("month", _?, _):
            throw ValidationError("A monthly period is anchored by --anchor-day only.")
        case ("year", _, _):
            throw ValidationError("A yearly period is anchored by both --anchor-month and --anchor-day.")
        default:
            throw ValidationError("--anchor-day and --anchor-month apply only to --period month or year.")
        }
        if self.timeZone?.isEmpty == true {
            throw ValidationError("--time-zone must not be empty.")
        }
    }

    func run() async throws {
        let client = try self.options.makeClient()
        let response = try await client.send(
            .PUT,
            ["v1", "tenants", self.tenant, "limits", self.metric],
            body: self.body()
        )
        try client.present(response, as: Answers.Limit.self, json: self.options.json) { limit in
            HumanOutput.limits([limit], tenant: limit.tenant)
        }
    }

    private func body() -> JSONValue {
        var body: [String: JSONValue] = [
            "limit": .int(self.limit),
            "period": .string(self.period),
            "enforcement": .string(self.enforcement.rawValue),
        ]
        if let day = self.anchorDay {
            var anchor: [String: JSONValue] = ["day": .int(Int64(day))]
            if let month = self.anchorMonth {
                anchor["month"] = .int(Int64(month))
            }
            body["anchor"] = .object(anchor)
        }
        if let timeZone = self.timeZone {
            body["time_zone"] = .string(timeZone)
        }
        if let audit = self.audit {
            body["audit"] = .string(audit.rawValue)
        }
        return .object(body)
    }
}

/// `quotactl limits list TENANT`.
struct ListLimitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List a tenant's limits.")

    @Argument(help: "The tenant id.")
    var tenant: String

    @OptionGroup
    var options: GlobalOptions

    func validate() throws {
        try Identifier.validate(self.tenant, as: .tenant)
    }

    func run() async throws {
        let client = try self.options.makeClient()
        let response = try await client.send(.GET, ["v1", "tenants", self.tenant, "limits"])
        try client.present(response, as: Answers.LimitList.self, json: self.options.json) { list in
            HumanOutput.limits(list.limits, tenant: list.tenant)
        }
    }
}

/// `quotactl limits delete TENANT METRIC`.
struct DeleteLimitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete the limit of one metric of a tenant."
    )

    @Argument(help: "The tenant id.")
    var tenant: String

    @Argument(help: "The metric id.")
    var metric: String

    @OptionGroup
    var options: GlobalOptions

    func validate() throws {
        try Identifier.validate(self.tenant, as: .tenant)
        try Identifier.validate(self.metric, as: .metric)
    }

    func run() async throws {
        let client = try self.options.makeClient()
        _ = try await client.send(.DELETE, ["v1", "tenants", self.tenant, "limits", self.metric])
        if !self.options.json {
            Terminal.print(["deleted the limit of \(self.metric) for tenant \(self.tenant)"])
        }
    }
}

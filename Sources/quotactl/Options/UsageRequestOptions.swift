import ArgumentParser
import QuotaJSON

/// The request that consume, check and release share: a tenant, then either `METRIC AMOUNT` or repeated
/// `--item metric=amount`, an optional idempotency key and optional metadata.
struct UsageRequestOptions: ParsableArguments {
    /// One `--item metric=amount`.
    struct Item {
        var metric: String
        var amount: Int64

        /// Parses `metric=amount`, splitting at the last `=` so that a metric id may itself contain `=`.
        init(parsing text: String) throws {
            guard let separator = text.lastIndex(of: "=") else {
                throw ValidationError("'\(text)' is not metric=amount.")
            }
            let metric = String(text[..<separator])
            let amountText = text[text.index(after: separator)...]
            guard let amount = Int64(amountText) else {
                throw ValidationError("'\(amountText)' in '\(text)' is not a whole number.")
            }
            try Identifier.validate(metric, as: .metric)
            self.metric = metric
            self.amount = amount
        }
    }

    @Argument(help: "The tenant id.")
    var tenant: String

    @Argument(help: "The metric, for a single-item request.")
    var metric: String?

    @Argument(help: "The amount, for a single-item request.")
    var amount: Int64?

    @Option(
        name: .customLong("item"),
        help: ArgumentHelp(
            "A metric and an amount; repeat for a multi-item request, decided all together.",
            valueName: "metric=amount"
        ),
        transform: Item.init(parsing:)
    )
    var items: [Item] = []

    @Option(help: "A key that makes retries of this request count once.")
    var idempotencyKey: String?

    @Option(help: ArgumentHelp("A JSON object stored with the usage event.", valueName: "json"))
    var metadata: String?

    func validate() throws {
        try Identifier.validate(self.tenant, as: .tenant)
        switch (self.metric, self.amount, self.items.isEmpty) {
        case (let metric?, _?, true):
            try Identifier.validate(metric, as: .metric)
        case (nil, nil, false):
            break
        case (let metric?, nil, true):
            throw ValidationError("Missing the amount for metric '\(metric)'.")
        case (nil, nil, true):
            throw ValidationError("Give METRIC AMOUNT, or one or more --item metric=amount.")
        default:
            throw ValidationError("Give either METRIC AMOUNT or --item options, not both.")
        }
        if self.idempotencyKey?.isEmpty == true {
            throw ValidationError("--idempotency-key must not be empty.")
        }
        if let metadata = self.metadata {
            _ = try Self.parseMetadata(metadata)
        }
    }

    /// The JSON body: `{"metric", "amount"}` or `{"items": […]}`, plus `idempotency_key` and `metadata` when given.
    func body() throws -> JSONValue {
        var body: [String: JSONValue] = [:]
        if let metric = self.metric, let amount = self.amount {
            body["metric"] = .string(metric)
            body["amount"] = .int(amount)
        } else {
            body["items"] = .array(
                self.items.map { .object(["metric": .string($0.metric), "amount": .int($0.amount)]) }
            )
        }
        if let key = self.idempotencyKey {
            body["idempotency_key"] = .string(key)
        }
        if let metadata = self.metadata {
            body["metadata"] = try Self.parseMetadata(metadata)
        }
        return .object(body)
    }

    private static func parseMetadata(_ text: String) throws -> JSONValue {
        guard let value = try? JSONValue(parsing: Array(text.utf8)), case .object = value else {
            throw ValidationError("--metadata must be a JSON object, such as '{\"request_id\": \"r-1\"}'.")
        }
        return value
    }
}

extension UsageRequest: Codable {
    private enum CodingKeys: String, CodingKey {
        case tenant
        case items
        case idempotencyKey = "idempotency_key"
        case metadata
        case allowZeroAmounts = "allow_zero_amounts"
    }

    private enum ItemKeys: String, CodingKey {
        case metric
        case amount
    }

    /// Decodes `{tenant, items: [{metric, amount}], idempotency_key?, metadata?, allow_zero_amounts?}`,
    /// validated like ``init(tenant:items:idempotencyKey:metadata:allowZeroAmounts:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var list = try container.nestedUnkeyedContainer(forKey: .items)
        var items: [Item] = []
        while !list.isAtEnd {
            let item = try list.nestedContainer(keyedBy: ItemKeys.self)
            items.append(
                Item(
                    metric: try item.decode(MetricCode.self, forKey: .metric),
                    amount: try item.decode(Int64.self, forKey: .amount)
                )
            )
        }
        let tenant = try container.decode(TenantID.self, forKey: .tenant)
        let key = try container.decodeIfPresent(IdempotencyKey.self, forKey: .idempotencyKey)
        let metadata = try container.decodeIfPresent(String.self, forKey: .metadata)
        let allowZero = try container.decodeIfPresent(Bool.self, forKey: .allowZeroAmounts) ?? false
        self = try DecodingError.validating(codingPath: decoder.codingPath) {
            try UsageRequest(
                tenant: tenant,
                items: SmallArray(items),
                idempotencyKey: key,
                metadata: metadata,
                allowZeroAmounts: allowZero
            )
        }
    }

    /// Encodes the shape ``init(from:)`` reads. `allow_zero_amounts` is written as `true` when an item's
    /// amount is 0 (only a check accepts that), so the request decodes again.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.tenant, forKey: .tenant)
        var list = container.nestedUnkeyedContainer(forKey: .items)
        for item in self.items {
            var entry = list.nestedContainer(keyedBy: ItemKeys.self)
            try entry.encode(item.metric, forKey: .metric)
            try entry.encode(item.amount, forKey: .amount)
        }
        try container.encodeIfPresent(self.idempotencyKey, forKey: .idempotencyKey)
        try container.encodeIfPresent(self.metadata, forKey: .metadata)
        if self.items.contains(where: { $0.amount == 0 }) { try container.encode(true, forKey: .allowZeroAmounts) }
    }
}

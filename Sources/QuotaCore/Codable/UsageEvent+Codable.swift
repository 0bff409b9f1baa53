extension UsageEvent: Codable {
    private enum CodingKeys: String, CodingKey {
        case eventID = "event_id"
        case sequence
        case tenant
        case metric
        case amount
        case periodStart = "period_start"
        case idempotencyKey = "idempotency_key"
        case metadata
        case createdAt = "created_at"
    }

    /// Decodes an event from a JSON object:
    ///
    /// ```json
    /// {"event_id": "n1-1-7", "sequence": 7, "tenant": "acme", "metric": "api_calls", "amount": 3,
    ///  "period_start": 1782864000000, "idempotency_key": "order-1234",
    ///  "metadata": "{\"region\":\"eu\"}", "created_at": 1782900000000}
    /// ```
    ///
    /// `event_id` is a string, `sequence` and `amount` integers (Int64), `tenant`, `metric` and
    /// `idempotency_key` identifier strings, and the times ``Timestamp`` integers (milliseconds since the Unix
    /// epoch, UTC). `metadata` is the canonical JSON text of the client's object carried as a JSON *string*,
    /// so its bytes round-trip exactly. `idempotency_key` and `metadata` may be absent or `null`.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the tenant, metric or idempotency key is invalid;
    ///   `DecodingError.keyNotFound` for a missing required key.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            eventID: try container.decode(String.self, forKey: .eventID),
            sequence: try container.decode(Int64.self, forKey: .sequence),
            tenant: try container.decode(TenantID.self, forKey: .tenant),
            metric: try container.decode(MetricCode.self, forKey: .metric),
            amount: try container.decode(Int64.self, forKey: .amount),
            periodStart: try container.decode(Timestamp.self, forKey: .periodStart),
            idempotencyKey: try container.decodeIfPresent(IdempotencyKey.self, forKey: .idempotencyKey),
            metadata: try container.decodeIfPresent(String.self, forKey: .metadata),
            createdAt: try container.decode(Timestamp.self, forKey: .createdAt)
        )
    }

    /// Encodes the event as a JSON object with the keys `event_id`, `sequence`, `tenant`, `metric`, `amount`,
    /// `period_start` and `created_at`, plus `idempotency_key` and `metadata` when they are not `nil`
    /// (the keys are left out otherwise).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.eventID, forKey: .eventID)
        try container.encode(self.sequence, forKey: .sequence)
        try container.encode(self.tenant, forKey: .tenant)
        try container.encode(self.metric, forKey: .metric)
        try container.encode(self.amount, forKey: .amount)
        try container.encode(self.periodStart, forKey: .periodStart)
        try container.encodeIfPresent(self.idempotencyKey, forKey: .idempotencyKey)
        try container.encodeIfPresent(self.metadata, forKey: .metadata)
        try container.encode(self.createdAt, forKey: .createdAt)
    }
}

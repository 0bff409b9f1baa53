extension UsageRecord: Codable {
    private enum CodingKeys: String, CodingKey {
        case tenant
        case metric
        case periodStart = "period_start"
        case periodEnd = "period_end"
        case usage
        case updatedAt = "updated_at"
    }

    /// Decodes a record from a JSON object, every key required:
    ///
    /// ```json
    /// {"tenant": "acme", "metric": "api_calls", "period_start": 1782864000000,
    ///  "period_end": 1785542400000, "usage": 42, "updated_at": 1782900000000}
    /// ```
    ///
    /// `tenant` and `metric` are identifier strings; the times are ``Timestamp`` integers (milliseconds since
    /// the Unix epoch, UTC) and `usage` an integer (Int64).
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the tenant or metric is invalid; `DecodingError.keyNotFound`
    ///   for a missing key. Like ``init(tenant:metric:periodStart:periodEnd:usage:updatedAt:)``, decoding does
    ///   not check the numbers against each other.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            tenant: try container.decode(TenantID.self, forKey: .tenant),
            metric: try container.decode(MetricCode.self, forKey: .metric),
            periodStart: try container.decode(Timestamp.self, forKey: .periodStart),
            periodEnd: try container.decode(Timestamp.self, forKey: .periodEnd),
            usage: try container.decode(Int64.self, forKey: .usage),
            updatedAt: try container.decode(Timestamp.self, forKey: .updatedAt)
        )
    }

    /// Encodes the record as a JSON object with the keys `tenant`, `metric`, `period_start`, `period_end`,
    /// `usage` and `updated_at`, all present.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.tenant, forKey: .tenant)
        try container.encode(self.metric, forKey: .metric)
        try container.encode(self.periodStart, forKey: .periodStart)
        try container.encode(self.periodEnd, forKey: .periodEnd)
        try container.encode(self.usage, forKey: .usage)
        try container.encode(self.updatedAt, forKey: .updatedAt)
    }
}

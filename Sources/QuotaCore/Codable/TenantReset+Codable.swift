extension TenantReset: Codable {
    private enum CodingKeys: String, CodingKey {
        case tenant
        case periods
    }

    /// Decodes a reset from a JSON object, both keys required:
    /// `{"tenant": "acme", "periods": [{"metric": "api_calls", "period_start": 1782864000000}]}`.
    ///
    /// `periods` is an array (possibly empty, order kept) of ``MetricPeriod`` objects.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the tenant or a metric is invalid;
    ///   `DecodingError.keyNotFound` for a missing key.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            tenant: try container.decode(TenantID.self, forKey: .tenant),
            periods: try container.decode([MetricPeriod].self, forKey: .periods)
        )
    }

    /// Encodes the reset as a JSON object with the keys `tenant` and `periods` (an array of
    /// ``MetricPeriod`` objects, in order).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.tenant, forKey: .tenant)
        try container.encode(self.periods, forKey: .periods)
    }
}

extension TenantReset.MetricPeriod: Codable {
    private enum CodingKeys: String, CodingKey {
        case metric
        case periodStart = "period_start"
    }

    /// Decodes a pair from a JSON object, both keys required: `{"metric": "api_calls", "period_start": 1782864000000}`,
    /// where `period_start` is a ``Timestamp`` integer (milliseconds since the Unix epoch, UTC).
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the metric is invalid; `DecodingError.keyNotFound` for a
    ///   missing key.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            metric: try container.decode(MetricCode.self, forKey: .metric),
            periodStart: try container.decode(Timestamp.self, forKey: .periodStart)
        )
    }

    /// Encodes the pair as `{"metric": "api_calls", "period_start": 1782864000000}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.metric, forKey: .metric)
        try container.encode(self.periodStart, forKey: .periodStart)
    }
}

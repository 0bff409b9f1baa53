extension MetricStatus: Codable {
    private enum CodingKeys: String, CodingKey {
        case metric
        case usage
        case limit
        case remaining
        case enforcement
        case periodUnit = "period_unit"
        case period
        case exceeded
    }

    /// Decodes `{metric, usage, limit?, remaining?, enforcement, period_unit, period, exceeded}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            metric: try container.decode(MetricCode.self, forKey: .metric),
            usage: try container.decode(Int64.self, forKey: .usage),
            limit: try container.decodeIfPresent(Int64.self, forKey: .limit),
            remaining: try container.decodeIfPresent(Int64.self, forKey: .remaining),
            enforcement: try container.decode(Enforcement.self, forKey: .enforcement),
            periodUnit: try container.decode(PeriodUnit.self, forKey: .periodUnit),
            period: try container.decode(Period.self, forKey: .period),
            exceeded: try container.decode(Bool.self, forKey: .exceeded)
        )
    }

    /// Encodes the shape ``init(from:)`` reads; absent limits are left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.metric, forKey: .metric)
        try container.encode(self.usage, forKey: .usage)
        try container.encodeIfPresent(self.limit, forKey: .limit)
        try container.encodeIfPresent(self.remaining, forKey: .remaining)
        try container.encode(self.enforcement, forKey: .enforcement)
        try container.encode(self.periodUnit, forKey: .periodUnit)
        try container.encode(self.period, forKey: .period)
        try container.encode(self.exceeded, forKey: .exceeded)
    }
}

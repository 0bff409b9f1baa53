extension Limit: Codable {
    private enum CodingKeys: String, CodingKey {
        case tenant
        case metric
        case value
        case period
        case enforcement
        case audit
    }

    /// Decodes a limit from a JSON object, every key required:
    ///
    /// ```json
    /// {"tenant": "acme", "metric": "api_calls", "value": 1000,
    ///  "period": {"unit": "month", "anchor": {"day": 15}, "time_zone": "Europe/Berlin"},
    ///  "enforcement": "hard", "audit": "full"}
    /// ```
    ///
    /// `tenant` and `metric` are identifier strings, `value` an integer (Int64), `period` a ``PeriodSpec``
    /// object, `enforcement` one of `hard`, `soft`, `none`, and `audit` one of `full`, `aggregate`.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when a field is invalid or ``init(tenant:metric:value:period:enforcement:audit:)``
    ///   refuses the values (a negative `value`), with its message; `DecodingError.keyNotFound` for a missing key.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let tenant = try container.decode(TenantID.self, forKey: .tenant)
        let metric = try container.decode(MetricCode.self, forKey: .metric)
        let value = try container.decode(Int64.self, forKey: .value)
        let period = try container.decode(PeriodSpec.self, forKey: .period)
        let enforcement = try container.decode(Enforcement.self, forKey: .enforcement)
        let audit = try container.decode(AuditLevel.self, forKey: .audit)
        self = try DecodingError.validating(codingPath: decoder.codingPath) {
            try Limit(
                tenant: tenant,
                metric: metric,
                value: value,
                period: period,
                enforcement: enforcement,
                audit: audit
            )
        }
    }

    /// Encodes the limit as a JSON object with the keys `tenant`, `metric`, `value`, `period` (a ``PeriodSpec``
    /// object), `enforcement` and `audit`, all present.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.tenant, forKey: .tenant)
        try container.encode(self.metric, forKey: .metric)
        try container.encode(self.value, forKey: .value)
        try container.encode(self.period, forKey: .period)
        try container.encode(self.enforcement, forKey: .enforcement)
        try container.encode(self.audit, forKey: .audit)
    }
}

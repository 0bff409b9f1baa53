extension LimitChange: Codable {
    private enum CodingKeys: String, CodingKey {
        case set
        case removed
    }

    private enum RemovedKeys: String, CodingKey {
        case tenant
        case metric
    }

    /// Decodes a change from a JSON object with exactly one of two keys:
    ///
    /// - `{"set": {…}}`, the ``Limit`` object that was set, for ``set(_:)``;
    /// - `{"removed": {"tenant": "acme", "metric": "api_calls"}}` for ``removed(_:_:)``.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the object has neither or both keys, or the limit, tenant or
    ///   metric inside is invalid; `DecodingError.keyNotFound` when `removed` lacks `tenant` or `metric`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let keys = container.allKeys.map(\.stringValue).sorted()
        guard keys.count == 1 else {
            let found = keys.isEmpty ? "neither" : keys.joined(separator: " and ")
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "a limit change has exactly one of the keys set, removed; found \(found)"
                )
            )
        }
        if container.contains(.set) {
            self = .set(try container.decode(Limit.self, forKey: .set))
        } else {
            let removed = try container.nestedContainer(keyedBy: RemovedKeys.self, forKey: .removed)
            self = .removed(
                try removed.decode(TenantID.self, forKey: .tenant),
                try removed.decode(MetricCode.self, forKey: .metric)
            )
        }
    }

    /// Encodes the change as `{"set": {…limit…}}` or `{"removed": {"tenant": "acme", "metric": "api_calls"}}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .set(let limit):
            try container.encode(limit, forKey: .set)
        case .removed(let tenant, let metric):
            var removed = container.nestedContainer(keyedBy: RemovedKeys.self, forKey: .removed)
            try removed.encode(tenant, forKey: .tenant)
            try removed.encode(metric, forKey: .metric)
        }
    }
}

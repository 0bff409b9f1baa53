// The identifiers are single JSON strings, validated on decode exactly like their initializers.

extension TenantID: Codable {
    /// Decodes a tenant id from a single JSON string, for example `"acme"`.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the string is empty, over ``maximumBytes`` UTF-8 bytes,
    ///   or has a control character (the message of the ``QuotaError`` that ``init(_:)`` throws);
    ///   `DecodingError.typeMismatch` when the value is not a string.
    public init(from decoder: any Decoder) throws {
        let rawValue = try decoder.singleValueContainer().decode(String.self)
        self = try DecodingError.validating(codingPath: decoder.codingPath) { try TenantID(rawValue) }
    }

    /// Encodes the tenant id as a single JSON string, its ``rawValue``: `"acme"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }
}

extension MetricCode: Codable {
    /// Decodes a metric code from a single JSON string, for example `"api_calls"`.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the string is empty, over ``maximumBytes`` UTF-8 bytes,
    ///   or has a control character (the message of the ``QuotaError`` that ``init(_:)`` throws);
    ///   `DecodingError.typeMismatch` when the value is not a string.
    public init(from decoder: any Decoder) throws {
        let rawValue = try decoder.singleValueContainer().decode(String.self)
        self = try DecodingError.validating(codingPath: decoder.codingPath) { try MetricCode(rawValue) }
    }

    /// Encodes the metric code as a single JSON string, its ``rawValue``: `"api_calls"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }
}

extension IdempotencyKey: Codable {
    /// Decodes an idempotency key from a single JSON string, for example `"order-1234"`.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the string is empty, over ``maximumBytes`` UTF-8 bytes,
    ///   or has a control character (the message of the ``QuotaError`` that ``init(_:)`` throws);
    ///   `DecodingError.typeMismatch` when the value is not a string.
    public init(from decoder: any Decoder) throws {
        let rawValue = try decoder.singleValueContainer().decode(String.self)
        self = try DecodingError.validating(codingPath: decoder.codingPath) { try IdempotencyKey(rawValue) }
    }

    /// Encodes the key as a single JSON string, its ``rawValue``: `"order-1234"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }
}

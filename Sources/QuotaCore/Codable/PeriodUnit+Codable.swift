extension PeriodUnit: Codable {
    /// Decodes a unit from a single JSON string, its lowercase name: `"second"`, `"minute"`, `"hour"`,
    /// `"day"`, `"week"`, `"month"` or `"year"` (exact, case-sensitive).
    ///
    /// - Throws: `DecodingError.dataCorrupted` for any other string, with the message of
    ///   ``init(parsing:)`` listing the expected names; `DecodingError.typeMismatch` when the value is not a string.
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        self = try DecodingError.validating(codingPath: decoder.codingPath) { try PeriodUnit(parsing: name) }
    }

    /// Encodes the unit as a single JSON string, its ``rawValue``: `"month"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }
}

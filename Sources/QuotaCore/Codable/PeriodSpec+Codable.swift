extension PeriodSpec: Codable {
    private enum CodingKeys: String, CodingKey {
        case unit
        case anchor
        case timeZone = "time_zone"
    }

    /// Decodes a spec from a JSON object:
    /// `{"unit": "month", "anchor": {"day": 31}, "time_zone": "Asia/Kolkata"}`.
    ///
    /// `unit` is a ``PeriodUnit`` string, `anchor` an optional ``BillingAnchor`` object (absent or `null` for
    /// none), and `time_zone` a required ``TimeZoneRules`` identifier string.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when a field is invalid, or when ``init(unit:anchor:timeZone:)``
    ///   refuses the combination (an anchor for a unit other than `month` or `year`, a monthly anchor with a
    ///   month, a yearly anchor without one), with its message; `DecodingError.keyNotFound` for a missing
    ///   `unit` or `time_zone`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let unit = try container.decode(PeriodUnit.self, forKey: .unit)
        let anchor = try container.decodeIfPresent(BillingAnchor.self, forKey: .anchor)
        let timeZone = try container.decode(TimeZoneRules.self, forKey: .timeZone)
        self = try DecodingError.validating(codingPath: decoder.codingPath) {
            try PeriodSpec(unit: unit, anchor: anchor, timeZone: timeZone)
        }
    }

    /// Encodes the spec as a JSON object: `{"unit": "day", "time_zone": "UTC"}`, with an `anchor` object
    /// only when the spec has one: `{"unit": "year", "anchor": {"month": 2, "day": 29}, "time_zone": "UTC"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.unit, forKey: .unit)
        try container.encodeIfPresent(self.anchor, forKey: .anchor)
        try container.encode(self.timeZone, forKey: .timeZone)
    }
}

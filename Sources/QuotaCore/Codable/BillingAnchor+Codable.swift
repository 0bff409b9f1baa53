extension BillingAnchor: Codable {
    private enum CodingKeys: String, CodingKey {
        case month
        case day
    }

    /// Decodes an anchor from a JSON object: `{"day": 15}` for a monthly anchor, or
    /// `{"month": 2, "day": 29}` for a yearly one. A `month` that is absent or `null` means a monthly anchor.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when ``init(day:month:)`` refuses the values (day outside 1…31,
    ///   month outside 1…12, a date that exists in no year), with its message;
    ///   `DecodingError.keyNotFound` without a `day`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let month = try container.decodeIfPresent(Int.self, forKey: .month)
        let day = try container.decode(Int.self, forKey: .day)
        self = try DecodingError.validating(codingPath: decoder.codingPath) {
            try BillingAnchor(day: day, month: month)
        }
    }

    /// Encodes the anchor as a JSON object: `{"day": 15}` for a monthly anchor (no `month` key),
    /// `{"month": 2, "day": 29}` for a yearly one.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(self.month, forKey: .month)
        try container.encode(self.day, forKey: .day)
    }
}

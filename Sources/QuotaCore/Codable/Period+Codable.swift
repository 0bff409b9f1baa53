extension Period: Codable {
    private enum CodingKeys: String, CodingKey {
        case start
        case end
    }

    /// Decodes `{"start": ms, "end": ms}`, refusing a period that does not end after it starts.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let start = try container.decode(Timestamp.self, forKey: .start)
        let end = try container.decode(Timestamp.self, forKey: .end)
        guard start < end else {
            throw DecodingError.dataCorruptedError(
                forKey: .end,
                in: container,
                debugDescription: "a period must end after it starts"
            )
        }
        self.init(start: start, end: end)
    }

    /// Encodes `{"start": ms, "end": ms}` (UTC milliseconds, `end` exclusive).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.start, forKey: .start)
        try container.encode(self.end, forKey: .end)
    }
}
